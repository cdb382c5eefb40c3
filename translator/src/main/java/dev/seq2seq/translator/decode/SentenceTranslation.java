package dev.seq2seq.translator.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * What one input sentence became: its n-best outputs (best first; at least one), and what may
 * make them poor, as data: the source tokens never seen in training (read as the unknown token),
 * and whether the sentence is longer than every training sentence.
 */
public record SentenceTranslation(String source, List<Translation> nBest, List<String> unknownTokens,
                                  boolean longerThanTraining) {
    public SentenceTranslation {
        if (nBest.isEmpty()) {
            throw new IllegalArgumentException("a translated sentence has at least one output");
        }
        nBest = List.copyOf(nBest);
        unknownTokens = List.copyOf(unknownTokens);
    }

    /** The best output. */
    public Translation best() {
        return nBest.get(0);
    }

    /**
     * The warnings as sentences a person reads, e.g. {@code never seen in training, read as
     * unknown: 'ß' (U+00DF)}; none when there is nothing to say.
     */
    public List<String> warnings(String unit, int longestTraining) {
        List<String> warnings = new ArrayList<>();
        if (longerThanTraining) {
            warnings.add(tooLong(source, unit, longestTraining));
        }
        if (!unknownTokens.isEmpty()) {
            warnings.add(unknown(unknownTokens));
        }
        return warnings;
    }

    /** The warning for a sentence longer than any training sentence ({@code longestTraining} units). */
    public static String tooLong(String source, String unit, int longestTraining) {
        return "\"" + source + "\" is longer than any training sentence (" + longestTraining + " " + unit
                + "); expect a poor translation";
    }

    /** The warning naming tokens never seen in training. */
    public static String unknown(List<String> tokens) {
        return "never seen in training, read as unknown: " + describe(tokens);
    }

    /** 'x' (U+0078), 'word': tokens as a warning names them. */
    private static String describe(List<String> tokens) {
        List<String> shown = new ArrayList<>();
        for (String token : tokens) {
            shown.add("'" + token + "'" + (token.length() == 1 ? String.format(" (U+%04X)", (int) token.charAt(0)) : ""));
        }
        return String.join(", ", shown);
    }
}
