package dev.seq2seq.app.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Corpus BLEU (Papineni et al., 2002) with one reference per sentence: word n-grams of 1 to 4,
 * clipped counts summed over the corpus, geometric mean of the four precisions, times the
 * brevity penalty exp(1 - r/c) when the output is shorter than the references. No smoothing, so
 * a corpus without a single matching 4-gram scores 0. Words and punctuation marks are separate
 * tokens.
 */
public final class Bleu {
    static final int MAX_ORDER = 4;
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+|[^\\s\\p{Z}\\p{L}\\p{N}]");

    private Bleu() {
    }

    public static double score(List<String> hypotheses, List<String> references) {
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException(hypotheses.size() + " hypotheses for " + references.size() + " references");
        }
        long[] matches = new long[MAX_ORDER + 1];
        long[] totals = new long[MAX_ORDER + 1];
        long hypothesisLength = 0;
        long referenceLength = 0;
        for (int s = 0; s < hypotheses.size(); s++) {
            List<String> hypothesis = tokens(hypotheses.get(s));
            List<String> reference = tokens(references.get(s));
            hypothesisLength += hypothesis.size();
            referenceLength += reference.size();
            for (int n = 1; n <= MAX_ORDER; n++) {
                Map<List<String>, Integer> referenceGrams = grams(reference, n);
                for (Map.Entry<List<String>, Integer> gram : grams(hypothesis, n).entrySet()) {
                    matches[n] += Math.min(gram.getValue(), referenceGrams.getOrDefault(gram.getKey(), 0));
                }
                totals[n] += Math.max(0, hypothesis.size() - n + 1);
            }
        }
        double logPrecision = 0;
        for (int n = 1; n <= MAX_ORDER; n++) {
            if (matches[n] == 0 || totals[n] == 0) {
                return 0;
            }
            logPrecision += Math.log((double) matches[n] / totals[n]) / MAX_ORDER;
        }
        double brevity = hypothesisLength >= referenceLength ? 1 : Math.exp(1 - (double) referenceLength / hypothesisLength);
        return 100 * brevity * Math.exp(logPrecision);
    }

    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(text);
        while (matcher.find()) {
            tokens.add(matcher.group());
        }
        return tokens;
    }

    private static Map<List<String>, Integer> grams(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
        }
        return counts;
    }
}
