package dev.seq2seq.app.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A pair file turned into token ids, with its vocabularies and its held-out pairs (see
 * {@link HeldOut}: by default the last 20% of the pairs for validation, as Keras's
 * validation_split takes them). The vocabularies and the length limits cover all the pairs, as in
 * the seed; a test sentence can still hold a token never trained (its weights stay as initialised).
 */
public final class Corpus {
    /** One pair as ids: the target without start and end markers. */
    public record Example(int[] source, int[] target, SentencePair pair) {
    }

    private final Level level;
    private final Vocabulary sourceVocabulary;
    private final Vocabulary targetVocabulary;
    private final List<Example> training;
    private final List<Example> validation;
    private final List<Example> test;
    private final int maxSourceLength;
    private final int maxTargetLength;

    private Corpus(Level level, Vocabulary sourceVocabulary, Vocabulary targetVocabulary, List<Example> examples,
                   HeldOut heldOut) {
        this.level = level;
        this.sourceVocabulary = sourceVocabulary;
        this.targetVocabulary = targetVocabulary;
        HeldOut.Role[] roles = heldOut.assign(examples.stream().map(Example::pair).toList());
        List<Example> training = new ArrayList<>();
        List<Example> validation = new ArrayList<>();
        List<Example> test = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            (switch (roles[i]) {
                case TRAINING -> training;
                case VALIDATION -> validation;
                case TEST -> test;
            }).add(examples.get(i));
        }
        this.training = List.copyOf(training);
        this.validation = List.copyOf(validation);
        this.test = List.copyOf(test);
        int source = 0;
        int target = 0;
        for (Example example : examples) {
            source = Math.max(source, example.source.length);
            target = Math.max(target, example.target.length);
        }
        this.maxSourceLength = source;
        this.maxTargetLength = target;
    }

    /** Builds the vocabularies from the pairs; the last {@code validationFraction} of them validate. */
    public static Corpus build(PairFile file, Level level, double validationFraction) {
        return build(file, level, HeldOut.atEnd(validationFraction));
    }

    /** Builds the vocabularies from the pairs, and holds out what {@code heldOut} says. */
    public static Corpus build(PairFile file, Level level, HeldOut heldOut) {
        return build(file, level, heldOut, 0);
    }

    /**
     * Builds the vocabularies and holds out what {@code heldOut} says. With a {@code vocabularySize}
     * above 0 each side keeps its most frequent tokens of the training pairs alone (a held-out word
     * does not earn a place); with 0 every token of every pair has an id, as in the seed.
     */
    public static Corpus build(PairFile file, Level level, HeldOut heldOut, int vocabularySize) {
        List<List<String>> sources = new ArrayList<>();
        List<List<String>> targets = new ArrayList<>();
        for (SentencePair pair : file.pairs()) {
            sources.add(level.tokens(pair.source()));
            targets.add(level.tokens(pair.target()));
        }
        Vocabulary sourceVocabulary;
        Vocabulary targetVocabulary;
        if (vocabularySize == 0) {
            sourceVocabulary = Vocabulary.build(sources);
            targetVocabulary = Vocabulary.build(targets);
        } else {
            HeldOut.Role[] roles = heldOut.assign(file.pairs());
            List<List<String>> trainingSources = new ArrayList<>();
            List<List<String>> trainingTargets = new ArrayList<>();
            for (int i = 0; i < roles.length; i++) {
                if (roles[i] == HeldOut.Role.TRAINING) {
                    trainingSources.add(sources.get(i));
                    trainingTargets.add(targets.get(i));
                }
            }
            sourceVocabulary = Vocabulary.mostFrequent(trainingSources, vocabularySize);
            targetVocabulary = Vocabulary.mostFrequent(trainingTargets, vocabularySize);
        }
        return new Corpus(level, sourceVocabulary, targetVocabulary,
                encode(file, level, sourceVocabulary, targetVocabulary), heldOut);
    }

    /** Uses given vocabularies (a trained model's): tokens they lack become the unknown id. */
    public static Corpus withVocabularies(PairFile file, Level level, Vocabulary sourceVocabulary,
                                          Vocabulary targetVocabulary, HeldOut heldOut) {
        return new Corpus(level, sourceVocabulary, targetVocabulary,
                encode(file, level, sourceVocabulary, targetVocabulary), heldOut);
    }

    private static List<Example> encode(PairFile file, Level level, Vocabulary sourceVocabulary,
                                        Vocabulary targetVocabulary) {
        List<Example> examples = new ArrayList<>(file.pairs().size());
        for (SentencePair pair : file.pairs()) {
            examples.add(new Example(sourceVocabulary.encode(level.tokens(pair.source())),
                    targetVocabulary.encode(level.tokens(pair.target())), pair));
        }
        return examples;
    }

    /**
     * Refuses a split that leaves nothing to train on, or nothing to validate on when validation
     * was asked for (the losses would be NaN); the message gives the counts.
     */
    public void requireTrainingAndValidation(String source, HeldOut heldOut) throws DataException {
        int total = training.size() + validation.size() + test.size();
        String counts = String.format(Locale.ROOT, "%s: %d pair%s with --validation-split %s%s leave %d for"
                + " training and %d for validation%s", source, total, total == 1 ? "" : "s",
                heldOut.validationFraction(), heldOut.testFraction() > 0 ? " and --test-fraction "
                        + heldOut.testFraction() : "", training.size(), validation.size(),
                heldOut.testFraction() > 0 ? " (" + test.size() + " for testing)" : "");
        if (training.isEmpty()) {
            throw new DataException(counts + "; hold out less or give more pairs");
        }
        if (heldOut.validationFraction() > 0 && validation.isEmpty()) {
            throw new DataException(counts + "; give more pairs, or --validation-split 0 to train without"
                    + " validation");
        }
        if (heldOut.testFraction() > 0 && test.isEmpty()) {
            throw new DataException(counts + "; give more pairs, or --test-fraction 0");
        }
    }

    public Level level() {
        return level;
    }

    public Vocabulary sourceVocabulary() {
        return sourceVocabulary;
    }

    public Vocabulary targetVocabulary() {
        return targetVocabulary;
    }

    public List<Example> training() {
        return training;
    }

    public List<Example> validation() {
        return validation;
    }

    /** The test pairs: empty unless a test fraction was asked for. */
    public List<Example> test() {
        return test;
    }

    /** Longest source sentence, in tokens. */
    public int maxSourceLength() {
        return maxSourceLength;
    }

    /** Longest target sentence, in tokens, without start and end. */
    public int maxTargetLength() {
        return maxTargetLength;
    }
}
