package dev.seq2seq.translator.decode;

/**
 * One output of the decoder: its tokens (without start and end markers), its score (the total
 * log-probability after the length penalty: what hypotheses are ranked by), the total
 * log-probability itself, and, for a model with attention, the attention weights over the source
 * positions behind each output token ([tokens][source length]; null without attention).
 */
public record Hypothesis(int[] tokens, double score, double logProbability, float[][] attention) {

    /** A hypothesis of a model without attention. */
    public Hypothesis(int[] tokens, double score, double logProbability) {
        this(tokens, score, logProbability, null);
    }
}
