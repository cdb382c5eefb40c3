package dev.seq2seq.app.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A pair file turned into token ids, with its vocabularies and the validation split: the last
 * 20% of the pairs, as Keras's validation_split takes them (so the split is the same on every
 * run). The vocabularies cover all the pairs, as in the seed.
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
    private final int maxSourceLength;
    private final int maxTargetLength;

    private Corpus(Level level, Vocabulary sourceVocabulary, Vocabulary targetVocabulary, List<Example> examples,
                   double validationFraction) {
        this.level = level;
        this.sourceVocabulary = sourceVocabulary;
        this.targetVocabulary = targetVocabulary;
        int validationCount = (int) Math.round(examples.size() * validationFraction);
        if (validationFraction > 0 && validationCount == 0 && examples.size() > 1) {
            validationCount = 1;
        }
        this.training = List.copyOf(examples.subList(0, examples.size() - validationCount));
        this.validation = List.copyOf(examples.subList(examples.size() - validationCount, examples.size()));
        int source = 0;
        int target = 0;
        for (Example example : examples) {
            source = Math.max(source, example.source.length);
            target = Math.max(target, example.target.length);
        }
        this.maxSourceLength = source;
        this.maxTargetLength = target;
    }

    /** Builds the vocabularies from the pairs. */
    public static Corpus build(PairFile file, Level level, double validationFraction) {
        List<List<String>> sources = new ArrayList<>();
        List<List<String>> targets = new ArrayList<>();
        for (SentencePair pair : file.pairs()) {
            sources.add(level.tokens(pair.source()));
            targets.add(level.tokens(pair.target()));
        }
        Vocabulary sourceVocabulary = Vocabulary.build(sources);
        Vocabulary targetVocabulary = Vocabulary.build(targets);
        return new Corpus(level, sourceVocabulary, targetVocabulary,
                encode(file, level, sourceVocabulary, targetVocabulary), validationFraction);
    }

    /** Uses given vocabularies (a trained model's): tokens they lack become the unknown id. */
    public static Corpus withVocabularies(PairFile file, Level level, Vocabulary sourceVocabulary,
                                          Vocabulary targetVocabulary, double validationFraction) {
        return new Corpus(level, sourceVocabulary, targetVocabulary,
                encode(file, level, sourceVocabulary, targetVocabulary), validationFraction);
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
    public void requireTrainingAndValidation(String source, double validationFraction) throws DataException {
        int total = training.size() + validation.size();
        String counts = String.format(Locale.ROOT, "%s: %d pair%s with --validation-split %s leave %d for"
                + " training and %d for validation", source, total, total == 1 ? "" : "s", validationFraction,
                training.size(), validation.size());
        if (training.isEmpty()) {
            throw new DataException(counts + "; lower --validation-split or give more pairs");
        }
        if (validationFraction > 0 && validation.isEmpty()) {
            throw new DataException(counts + "; give more pairs, or --validation-split 0 to train without"
                    + " validation");
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

    /** Longest source sentence, in tokens. */
    public int maxSourceLength() {
        return maxSourceLength;
    }

    /** Longest target sentence, in tokens, without start and end. */
    public int maxTargetLength() {
        return maxTargetLength;
    }
}
