package dev.seq2seq.translator.decode;

import java.util.List;

/**
 * One output for one sentence: its text, its score (the total log-probability after the length
 * penalty), and for a model with attention the weights over the source tokens behind each output
 * token ([output tokens][source tokens]; null otherwise), with both token lists (for pictures).
 */
public record Translation(String text, double score, float[][] attention, List<String> sourceTokens,
                          List<String> outputTokens) {
    /** An output of a model without attention. */
    public Translation(String text, double score) {
        this(text, score, null, List.of(), List.of());
    }

    /**
     * The Pharaoh alignment "i-j ...": for each output token j, the source token i it attends to
     * most (as OpenNMT-py's {@code align}); empty without attention.
     */
    public String alignment() {
        if (attention == null) {
            return "";
        }
        StringBuilder pairs = new StringBuilder();
        for (int j = 0; j < attention.length; j++) {
            pairs.append(j == 0 ? "" : " ").append(strongest(attention[j])).append('-').append(j);
        }
        return pairs.toString();
    }

    /** The source position an output token attends to most (the first, on a tie). */
    static int strongest(float[] weights) {
        int best = 0;
        for (int s = 1; s < weights.length; s++) {
            if (weights[s] > weights[best]) {
                best = s;
            }
        }
        return best;
    }
}
