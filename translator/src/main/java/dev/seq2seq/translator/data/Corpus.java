package dev.seq2seq.translator.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A pair file turned into token ids, with its vocabularies and its held-out pairs (see
 * {@link HeldOut}: by default the last 20% of the pairs for validation, as Keras's
 * validation_split takes them). By default the vocabularies and the length limits cover all the
 * pairs, as in the seed: a test sentence can still hold a token never trained (its weights stay as
 * initialised). A capped vocabulary ({@code --vocab-size}) and the pieces level's merges are
 * learned from the training pairs alone.
 */
public final class Corpus {
    /** One pair as ids: the target without start and end markers. */
    public record Example(int[] source, int[] target, SentencePair pair) {
        /**
         * Target length, then source length: the order that puts pairs of similar lengths into a
         * batch (a batch runs as many steps as its longest target).
         */
        public static final Comparator<Example> BY_LENGTH = Comparator
                .comparingInt((Example e) -> e.target().length)
                .thenComparingInt(e -> e.source().length);
    }

    private final Tokenizer sourceTokenizer;
    private final Tokenizer targetTokenizer;
    private final Vocabulary sourceVocabulary;
    private final Vocabulary targetVocabulary;
    private final List<Example> training;
    private final List<Example> validation;
    private final List<Example> test;
    private final int maxSourceLength;
    private final int maxTargetLength;

    private Corpus(Tokenizer sourceTokenizer, Tokenizer targetTokenizer, Vocabulary sourceVocabulary,
                   Vocabulary targetVocabulary, List<Example> examples, HeldOut.Role[] roles) {
        this.sourceTokenizer = sourceTokenizer;
        this.targetTokenizer = targetTokenizer;
        this.sourceVocabulary = sourceVocabulary;
        this.targetVocabulary = targetVocabulary;
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
        return build(file, level, heldOut, 0, 0);
    }

    /**
     * Builds the tokenizers and vocabularies, and holds out what {@code heldOut} says.
     *
     * @param vocabularySize above 0: each side keeps its most frequent tokens of the training pairs
     *                       alone (a held-out word does not earn a place); 0: every token of every
     *                       pair has an id, as in the seed
     * @param merges         at the pieces level, the merges each side learns from its training
     *                       sentences (ignored at the other levels)
     */
    public static Corpus build(PairFile file, Level level, HeldOut heldOut, int vocabularySize, int merges) {
        return build(file, level, Words.WHOLE, heldOut, vocabularySize, merges);
    }

    /** As {@link #build(PairFile, Level, HeldOut, int, int)}, with words cut by {@code words}. */
    public static Corpus build(PairFile file, Level level, Words words, HeldOut heldOut, int vocabularySize,
                               int merges) {
        List<SentencePair> pairs = file.pairs();
        boolean trainingOnly = vocabularySize > 0 || level == Level.BPE;
        HeldOut.Role[] roles = heldOut.assign(pairs);
        Tokenizer sourceTokenizer = Tokenizer.of(level == Level.BPE ? Level.WORD : level, words);
        Tokenizer targetTokenizer = sourceTokenizer;
        List<List<String>> sources = tokens(pairs, true, sourceTokenizer);
        List<List<String>> targets = tokens(pairs, false, targetTokenizer);
        if (level == Level.BPE) {
            // the merges come from the training pairs' words; then every sentence's words are cut
            Bpe sourceBpe = Bpe.learn(training(sources, roles), merges);
            Bpe targetBpe = Bpe.learn(training(targets, roles), merges);
            sourceTokenizer = new Tokenizer(level, words, sourceBpe);
            targetTokenizer = new Tokenizer(level, words, targetBpe);
            sources = sources.stream().map(sourceBpe::pieces).toList();
            targets = targets.stream().map(targetBpe::pieces).toList();
        }
        Vocabulary sourceVocabulary = trainingOnly
                ? Vocabulary.mostFrequent(training(sources, roles), vocabularySize) : Vocabulary.build(sources);
        Vocabulary targetVocabulary = trainingOnly
                ? Vocabulary.mostFrequent(training(targets, roles), vocabularySize) : Vocabulary.build(targets);
        return new Corpus(sourceTokenizer, targetTokenizer, sourceVocabulary, targetVocabulary,
                encode(pairs, sources, targets, sourceVocabulary, targetVocabulary), roles);
    }

    /** One side's tokens of every pair. */
    private static List<List<String>> tokens(List<SentencePair> pairs, boolean source, Tokenizer tokenizer) {
        List<List<String>> sentences = new ArrayList<>(pairs.size());
        for (SentencePair pair : pairs) {
            sentences.add(tokenizer.tokens(source ? pair.source() : pair.target()));
        }
        return sentences;
    }

    /** The pairs as ids, from their tokens. */
    private static List<Example> encode(List<SentencePair> pairs, List<List<String>> sources,
                                        List<List<String>> targets, Vocabulary sourceVocabulary,
                                        Vocabulary targetVocabulary) {
        List<Example> examples = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            examples.add(new Example(sourceVocabulary.encode(sources.get(i)), targetVocabulary.encode(targets.get(i)),
                    pairs.get(i)));
        }
        return examples;
    }

    /** The sentences of the training pairs. */
    private static List<List<String>> training(List<List<String>> sentences, HeldOut.Role[] roles) {
        List<List<String>> training = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            if (roles[i] == HeldOut.Role.TRAINING) {
                training.add(sentences.get(i));
            }
        }
        return training;
    }

    /** Uses given tokenizers and vocabularies (a trained model's): tokens they lack become the unknown id. */
    public static Corpus withVocabularies(PairFile file, Tokenizer sourceTokenizer, Tokenizer targetTokenizer,
                                          Vocabulary sourceVocabulary, Vocabulary targetVocabulary, HeldOut heldOut) {
        List<SentencePair> pairs = file.pairs();
        List<List<String>> sources = tokens(pairs, true, sourceTokenizer);
        List<List<String>> targets = tokens(pairs, false, targetTokenizer);
        return new Corpus(sourceTokenizer, targetTokenizer, sourceVocabulary, targetVocabulary,
                encode(pairs, sources, targets, sourceVocabulary, targetVocabulary), heldOut.assign(pairs));
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
        return sourceTokenizer.level();
    }

    public Tokenizer sourceTokenizer() {
        return sourceTokenizer;
    }

    public Tokenizer targetTokenizer() {
        return targetTokenizer;
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
