package dev.seq2seq.translator.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Which pairs are held out from training, and how they are chosen.
 *
 * <ul>
 *   <li>Test: a fraction of the distinct source sentences, drawn at random from the seed, with
 *       every pair of each (so a test source is never seen in training or validation, whatever
 *       translations it has).</li>
 *   <li>Validation, among the other pairs: {@link ValidationBy#END} takes the last fraction of
 *       them, as Keras's {@code validation_split} does (the seed's job; the same split on every run,
 *       but the anki files are sorted by length, so on a whole file it holds only the longest
 *       sentences, and a source repeated across the cut is in both sets); {@link ValidationBy#SOURCE}
 *       draws a fraction of the remaining distinct sources, as for the test set.</li>
 * </ul>
 *
 * @param testFraction       the share of distinct sources set aside for testing, in [0, 1)
 * @param validationFraction the share of the rest held out for validation, in [0, 1)
 */
public record HeldOut(double testFraction, double validationFraction, ValidationBy validationBy, long seed) {

    /** How the validation pairs are chosen. */
    public enum ValidationBy { END, SOURCE }

    /** What each pair is for. */
    public enum Role { TRAINING, VALIDATION, TEST }

    public HeldOut {
        if (!(testFraction >= 0 && testFraction < 1) || !(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("held-out fractions must be in [0, 1), got test " + testFraction
                    + " and validation " + validationFraction);
        }
        if (testFraction + validationFraction >= 1) {
            throw new IllegalArgumentException("--test-fraction " + testFraction + " and --validation-split "
                    + validationFraction + " leave nothing to train on");
        }
    }

    /** The seed's split: the last {@code validationFraction} of the pairs, no test set. */
    public static HeldOut atEnd(double validationFraction) {
        return new HeldOut(0, validationFraction, ValidationBy.END, 0);
    }

    /** The role of each pair, in order. */
    public Role[] assign(List<SentencePair> pairs) {
        Role[] roles = new Role[pairs.size()];
        List<String> shuffled = new ArrayList<>(distinctSources(pairs));
        if (testFraction > 0 || validationBy == ValidationBy.SOURCE) {
            // java.util.Random and Collections.shuffle are specified to the bit: the same draw on every JDK
            Collections.shuffle(shuffled, new Random(seed));
        }
        int testSources = count(testFraction, shuffled.size());
        Set<String> test = new HashSet<>(shuffled.subList(0, testSources));
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            if (test.contains(pairs.get(i).source())) {
                roles[i] = Role.TEST;
            } else {
                roles[i] = Role.TRAINING;
                rest.add(i);
            }
        }
        if (validationBy == ValidationBy.END) {
            int validation = count(validationFraction, rest.size());
            for (int k = rest.size() - validation; k < rest.size(); k++) {
                roles[rest.get(k)] = Role.VALIDATION;
            }
        } else {
            List<String> remaining = shuffled.subList(testSources, shuffled.size());
            Set<String> validation = new HashSet<>(remaining.subList(0, count(validationFraction, remaining.size())));
            for (int i : rest) {
                if (validation.contains(pairs.get(i).source())) {
                    roles[i] = Role.VALIDATION;
                }
            }
        }
        return roles;
    }

    /** round(fraction * n), but at least one when the fraction is positive and there are two or more. */
    private static int count(double fraction, int n) {
        int count = (int) Math.round(n * fraction);
        return fraction > 0 && count == 0 && n > 1 ? 1 : count;
    }

    private static Set<String> distinctSources(List<SentencePair> pairs) {
        Set<String> sources = new LinkedHashSet<>();
        for (SentencePair pair : pairs) {
            sources.add(pair.source());
        }
        return sources;
    }
}
