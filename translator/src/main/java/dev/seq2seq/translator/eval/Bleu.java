package dev.seq2seq.translator.eval;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Corpus BLEU (Papineni et al., 2002) as sacreBLEU 2.x computes it by default, to the last digit
 * (the tests replay its scores).
 *
 * <pre>
 *   words:  the tokenizer's output (13a unless told) split at spaces
 *   per sentence and order n = 1..4: total_n = hypothesis n-grams,
 *           correct_n = sum over n-grams of min(count in hypothesis, max count in any reference)
 *           reference length = the reference length closest to the hypothesis's (the shorter on a tie)
 *   corpus: sums; p_n = correct_n / total_n, and where correct_n = 0, exp smoothing:
 *           p_n = 1 / (2^k total_n) for the k-th such order (mteval-v13a's NIST smoothing)
 *   BP    = 1 if c >= r, else exp(1 - r/c) (0 for an empty output)
 *   BLEU  = 100 BP exp(mean of log p_n);  0 when no n-gram of any order matches
 * </pre>
 */
public final class Bleu implements Metric {
    static final int MAX_ORDER = 4;
    /** mteval's log(0): a precision of zero, where no n-gram of that order exists, drives BLEU to 0. */
    private static final double LOG_ZERO = -9999999999.0;

    private final BleuTokenizer tokenizer;

    public Bleu(BleuTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** sacreBLEU's signature, without its version field. */
    public String signature(References references) {
        return "nrefs:" + MetricScore.referenceCount(references) + "|case:mixed|eff:no|tok:" + tokenizer.signature()
                + "|smooth:exp";
    }

    /** The corpus score, with sacreBLEU's details: precisions, brevity penalty, ratio and lengths. */
    @Override
    public MetricScore corpus(List<String> hypotheses, References references) {
        references.checkMatches(hypotheses);
        long[] correct = new long[MAX_ORDER];
        long[] total = new long[MAX_ORDER];
        long hypothesisLength = 0;
        long referenceLength = 0;
        for (int s = 0; s < hypotheses.size(); s++) {
            String[] hypothesis = words(hypotheses.get(s));
            Map<String, Integer> maxReferenceCounts = new HashMap<>();
            int closest = -1;
            for (String reference : references.of(s)) {
                String[] words = words(reference);
                if (closest < 0 || Math.abs(hypothesis.length - words.length) < Math.abs(hypothesis.length - closest)
                        || (Math.abs(hypothesis.length - words.length) == Math.abs(hypothesis.length - closest)
                        && words.length < closest)) {
                    closest = words.length;
                }
                grams(words).forEach((gram, count) -> maxReferenceCounts.merge(gram, count, Math::max));
            }
            hypothesisLength += hypothesis.length;
            referenceLength += closest;
            for (Map.Entry<String, Integer> gram : grams(hypothesis).entrySet()) {
                int order = order(gram.getKey());
                total[order - 1] += gram.getValue();
                correct[order - 1] += Math.min(gram.getValue(), maxReferenceCounts.getOrDefault(gram.getKey(), 0));
            }
        }
        double brevity = hypothesisLength >= referenceLength ? 1
                : hypothesisLength > 0 ? Math.exp(1 - (double) referenceLength / hypothesisLength) : 0;
        double[] precisions = new double[MAX_ORDER];
        double score = 0;
        boolean anyCorrect = false;
        for (long c : correct) {
            anyCorrect |= c > 0;
        }
        if (anyCorrect) {
            double smoothing = 1;
            for (int n = 0; n < MAX_ORDER && total[n] > 0; n++) {
                if (correct[n] == 0) {
                    smoothing *= 2;
                    precisions[n] = 100.0 / (smoothing * total[n]);
                } else {
                    precisions[n] = 100.0 * correct[n] / total[n];
                }
            }
            double logSum = 0;
            for (double precision : precisions) {
                logSum += precision == 0 ? LOG_ZERO : Math.log(precision);
            }
            score = brevity * Math.exp(logSum / MAX_ORDER);
        }
        String details = String.format(Locale.ROOT, "%.1f/%.1f/%.1f/%.1f (BP = %.3f ratio = %.3f hyp_len = %d ref_len = %d)",
                precisions[0], precisions[1], precisions[2], precisions[3], brevity,
                referenceLength == 0 ? 0.0 : (double) hypothesisLength / referenceLength, hypothesisLength,
                referenceLength);
        return new MetricScore("BLEU", score, signature(references), details);
    }

    private String[] words(String text) {
        // sacreBLEU strips trailing whitespace before tokenizing (rstrip: Unicode spaces as well)
        return UnicodeSpaces.words(tokenizer.apply(UnicodeSpaces.trailingRemoved(text))).toArray(String[]::new);
    }

    /** n-grams of orders 1..4 as their words joined by a space (words hold no space). */
    private static Map<String, Integer> grams(String[] words) {
        Map<String, Integer> counts = new HashMap<>();
        for (int n = 1; n <= MAX_ORDER; n++) {
            for (int i = 0; i + n <= words.length; i++) {
                counts.merge(String.join(" ", Arrays.asList(words).subList(i, i + n)), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static int order(String gram) {
        int order = 1;
        for (int i = 0; i < gram.length(); i++) {
            if (gram.charAt(i) == ' ') {
                order++;
            }
        }
        return order;
    }
}
