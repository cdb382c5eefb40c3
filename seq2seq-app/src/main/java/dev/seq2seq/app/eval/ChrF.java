package dev.seq2seq.app.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * chrF, the character n-gram F-score (Popovic, 2015), corpus level, with the usual settings
 * (those of sacreBLEU's default chrF): n-grams of 1 to 6 characters, whitespace removed, beta = 2
 * (recall weighs twice as much as precision).
 *
 * <pre>
 *   for each n: P_n = matching n-grams / hypothesis n-grams,  R_n = matching / reference n-grams
 *               (counts summed over the corpus, matches clipped per sentence)
 *   P, R = averages over n;   chrF = 100 (1 + beta^2) P R / (beta^2 P + R)
 * </pre>
 */
public final class ChrF {
    static final int MAX_ORDER = 6;
    static final double BETA = 2.0;

    private ChrF() {
    }

    /** chrF in [0, 100] of the hypotheses against one reference each. */
    public static double score(List<String> hypotheses, List<String> references) {
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException(hypotheses.size() + " hypotheses for " + references.size() + " references");
        }
        long[] matches = new long[MAX_ORDER + 1];
        long[] hypothesisCounts = new long[MAX_ORDER + 1];
        long[] referenceCounts = new long[MAX_ORDER + 1];
        for (int s = 0; s < hypotheses.size(); s++) {
            String hypothesis = hypotheses.get(s).replaceAll("\\s+", "");
            String reference = references.get(s).replaceAll("\\s+", "");
            for (int n = 1; n <= MAX_ORDER; n++) {
                Map<String, Integer> hypothesisGrams = grams(hypothesis, n);
                Map<String, Integer> referenceGrams = grams(reference, n);
                for (Map.Entry<String, Integer> gram : hypothesisGrams.entrySet()) {
                    matches[n] += Math.min(gram.getValue(), referenceGrams.getOrDefault(gram.getKey(), 0));
                }
                hypothesisCounts[n] += Math.max(0, hypothesis.length() - n + 1);
                referenceCounts[n] += Math.max(0, reference.length() - n + 1);
            }
        }
        double precision = 0;
        double recall = 0;
        int orders = 0;
        for (int n = 1; n <= MAX_ORDER; n++) {
            if (hypothesisCounts[n] == 0 || referenceCounts[n] == 0) {
                continue;
            }
            precision += (double) matches[n] / hypothesisCounts[n];
            recall += (double) matches[n] / referenceCounts[n];
            orders++;
        }
        if (orders == 0) {
            return 0;
        }
        precision /= orders;
        recall /= orders;
        double betaSquare = BETA * BETA;
        double denominator = betaSquare * precision + recall;
        return denominator == 0 ? 0 : 100 * (1 + betaSquare) * precision * recall / denominator;
    }

    static Map<String, Integer> grams(String text, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= text.length(); i++) {
            counts.merge(text.substring(i, i + n), 1, Integer::sum);
        }
        return counts;
    }
}
