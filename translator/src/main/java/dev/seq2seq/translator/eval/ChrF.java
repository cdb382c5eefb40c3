package dev.seq2seq.translator.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * chrF, the character n-gram F-score (Popovic, 2015), and chrF++ (Popovic, 2017, word n-grams as
 * well), computed as sacreBLEU 2.x computes them, to the last digit (the tests replay its scores).
 *
 * <pre>
 *   n-grams: character n-grams of orders 1..nc of the text without any space (Unicode spaces too),
 *            then word n-grams of orders 1..nw (words split at spaces, one ASCII punctuation mark
 *            split off a word's end, else off its start)
 *   per sentence and order: hyp = hypothesis n-grams, ref = reference n-grams,
 *            match = sum over n-grams of min(count in hypothesis, count in reference);
 *            hyp counts 0 when the reference has no n-gram of that order;
 *            with several references, the one whose sentence chrF is highest (the first on a tie)
 *   corpus:  sum each count over the sentences; for the orders with hyp > 0 and ref > 0
 *            ("effective order"): P = mean of match/hyp, R = mean of match/ref
 *   chrF   = 100 (1 + beta^2) P R / (beta^2 P + R),   0 when P + R = 0
 * </pre>
 */
public final class ChrF implements Metric {
    /** sacreBLEU's default: chrF2, characters only. */
    public static final ChrF CHRF2 = new ChrF(6, 0, 2);
    /** chrF2++: word unigrams and bigrams as well. */
    public static final ChrF CHRF2_PLUS_PLUS = new ChrF(6, 2, 2);

    private static final String ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private final int charOrder;
    private final int wordOrder;
    private final int beta;

    public ChrF(int charOrder, int wordOrder, int beta) {
        if (charOrder < 1 || wordOrder < 0 || beta < 1) {
            throw new IllegalArgumentException("chrF needs a character order >= 1, a word order >= 0 and beta >= 1");
        }
        this.charOrder = charOrder;
        this.wordOrder = wordOrder;
        this.beta = beta;
    }

    /** chrF2, or chrF2++ with word order 2: sacreBLEU's name. */
    public String name() {
        return "chrF" + beta + "+".repeat(wordOrder);
    }

    /** sacreBLEU's signature, without its version field. */
    public String signature(References references) {
        return "nrefs:" + MetricScore.referenceCount(references) + "|case:mixed|eff:yes|nc:" + charOrder + "|nw:"
                + wordOrder + "|space:no";
    }

    /** The corpus score of the hypotheses against their references. */
    @Override
    public MetricScore corpus(List<String> hypotheses, References references) {
        references.checkMatches(hypotheses);
        long[] total = new long[3 * orders()];
        for (int i = 0; i < hypotheses.size(); i++) {
            long[] sentence = statistics(hypotheses.get(i), references.of(i));
            for (int k = 0; k < total.length; k++) {
                total[k] += sentence[k];
            }
        }
        return new MetricScore(name(), fScore(total), signature(references), "");
    }

    /** The sentence-level score (sacreBLEU's {@code sentence_score}). */
    public double sentence(String hypothesis, List<String> references) {
        return fScore(statistics(hypothesis, references));
    }

    private int orders() {
        return charOrder + wordOrder;
    }

    /** [hyp, ref, match] for each order, against the reference that scores best. */
    long[] statistics(String hypothesis, List<String> references) {
        List<Map<String, Integer>> hypothesisGrams = grams(hypothesis);
        long[] best = null;
        double bestScore = -1;
        for (String reference : references) {
            List<Map<String, Integer>> referenceGrams = grams(reference);
            long[] stats = new long[3 * orders()];
            for (int order = 0; order < orders(); order++) {
                Map<String, Integer> ofHypothesis = hypothesisGrams.get(order);
                Map<String, Integer> ofReference = referenceGrams.get(order);
                long hypothesisCount = 0;
                long matches = 0;
                for (Map.Entry<String, Integer> gram : ofHypothesis.entrySet()) {
                    hypothesisCount += gram.getValue();
                    matches += Math.min(gram.getValue(), ofReference.getOrDefault(gram.getKey(), 0));
                }
                long referenceCount = ofReference.values().stream().mapToLong(Integer::longValue).sum();
                stats[3 * order] = ofReference.isEmpty() ? 0 : hypothesisCount;
                stats[3 * order + 1] = referenceCount;
                stats[3 * order + 2] = matches;
            }
            double score = fScore(stats);
            if (score > bestScore) {
                bestScore = score;
                best = stats;
            }
        }
        return best;
    }

    /** The F-score of summed statistics, averaging precision and recall over the effective orders. */
    double fScore(long[] stats) {
        double factor = (double) beta * beta;
        double precision = 0;
        double recall = 0;
        int effectiveOrders = 0;
        for (int order = 0; order < orders(); order++) {
            long hypothesisCount = stats[3 * order];
            long referenceCount = stats[3 * order + 1];
            long matches = stats[3 * order + 2];
            if (hypothesisCount > 0 && referenceCount > 0) {
                precision += (double) matches / hypothesisCount;
                recall += (double) matches / referenceCount;
                effectiveOrders++;
            }
        }
        if (effectiveOrders == 0) {
            return 0;
        }
        precision /= effectiveOrders;
        recall /= effectiveOrders;
        if (precision + recall == 0) {
            return 0;
        }
        return 100 * (1 + factor) * precision * recall / (factor * precision + recall);
    }

    /** The n-gram counts of each order: characters 1..nc, then words 1..nw. */
    private List<Map<String, Integer>> grams(String text) {
        List<Map<String, Integer>> grams = new ArrayList<>(orders());
        int[] characters = UnicodeSpaces.removed(text).codePoints().toArray();
        for (int n = 1; n <= charOrder; n++) {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i + n <= characters.length; i++) {
                counts.merge(new String(characters, i, n), 1, Integer::sum);
            }
            grams.add(counts);
        }
        if (wordOrder > 0) {
            List<String> words = punctuationSplit(text);
            for (int n = 1; n <= wordOrder; n++) {
                Map<String, Integer> counts = new HashMap<>();
                for (int i = 0; i + n <= words.size(); i++) {
                    counts.merge(String.join(" ", words.subList(i, i + n)), 1, Integer::sum);
                }
                grams.add(counts);
            }
        }
        return grams;
    }

    /**
     * chrF++'s words: split at spaces; a word longer than one character loses an ASCII punctuation
     * mark at its end (kept as a word of its own) or, failing that, at its start. "(hi)" becomes
     * "(hi" and ")", as in chrF++.py.
     */
    static List<String> punctuationSplit(String text) {
        List<String> words = new ArrayList<>();
        for (String word : UnicodeSpaces.words(text)) {
            if (word.codePointCount(0, word.length()) == 1) {
                words.add(word);
                continue;
            }
            int last = word.codePointBefore(word.length());
            int first = word.codePointAt(0);
            if (isAsciiPunctuation(last)) {
                int cut = word.length() - Character.charCount(last);
                words.add(word.substring(0, cut));
                words.add(word.substring(cut));
            } else if (isAsciiPunctuation(first)) {
                int cut = Character.charCount(first);
                words.add(word.substring(0, cut));
                words.add(word.substring(cut));
            } else {
                words.add(word);
            }
        }
        return words;
    }

    private static boolean isAsciiPunctuation(int codePoint) {
        return codePoint < 128 && ASCII_PUNCTUATION.indexOf(codePoint) >= 0;
    }
}
