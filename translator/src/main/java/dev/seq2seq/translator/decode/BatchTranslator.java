package dev.seq2seq.translator.decode;

import dev.seq2seq.translator.data.Limits;
import dev.seq2seq.translator.data.Tokenizer;
import dev.seq2seq.translator.data.Vocabulary;
import dev.seq2seq.translator.model.Decoding;
import dev.seq2seq.translator.model.Seq2SeqModel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Text in, text out, for a model whose weights no longer change (the decoding steppers keep a
 * snapshot of them): tokenises the sentences with the model's vocabulary (tokens never seen in
 * training become the unknown id), decodes (greedily or with a beam, as its {@link DecodeOptions}
 * say), and joins the output tokens back into text.
 *
 * <p>Safe for many threads: each call borrows a decoding snapshot from a pool (made on first need
 * and kept, so a stream of small batches does not copy the weight panels each time), and the
 * kernels' worker pool takes one caller at a time.
 */
public final class BatchTranslator {
    private final Seq2SeqModel model;
    private final DecodeOptions options;
    private final int batchSize;
    private final ConcurrentLinkedDeque<Decoding> idle;
    /** Unknown tokens already reported through {@link #translateNBest}'s stream: each is named once. */
    private final Set<String> reportedUnknown = ConcurrentHashMap.newKeySet();

    /**
     * A greedy translator.
     *
     * @param maxLength longest output, in tokens, at most {@link Limits#MAX_SENTENCE_CHARACTERS}
     */
    public BatchTranslator(Seq2SeqModel model, int maxLength, int batchSize) {
        this(model, DecodeOptions.greedy(maxLength), batchSize);
    }

    /** A translator decoding as {@code options} say, {@code batchSize} sentences at a time. */
    public BatchTranslator(Seq2SeqModel model, DecodeOptions options, int batchSize) {
        this(model, options, batchSize, new ConcurrentLinkedDeque<>());
    }

    /** As above, sharing {@code decodings} (idle snapshots of this model) with other translators. */
    public BatchTranslator(Seq2SeqModel model, DecodeOptions options, int batchSize,
                           ConcurrentLinkedDeque<Decoding> decodings) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch must be at least 1, got " + batchSize);
        }
        if (options.replaceUnknown() && !model.attends()) {
            throw new IllegalArgumentException("replacing unknown tokens needs a model with attention, to say which"
                    + " source token to copy; this model has none");
        }
        this.model = model;
        this.options = options;
        this.batchSize = batchSize;
        this.idle = decodings;
    }

    /** The decoding limit the seed uses: the longest training target, plus the end marker, plus a margin. */
    public static int defaultMaxLength(Seq2SeqModel model) {
        int margin = Math.max(2, model.config().maxTargetLength() / 4);
        return Math.min(Limits.MAX_SENTENCE_CHARACTERS, model.config().maxTargetLength() + 1 + margin);
    }

    /**
     * Translates the sentences: the best output of each. Problems (unknown tokens, the first time
     * each is met; input longer than any training sentence) are reported on {@code warnings}. A
     * blank sentence translates to an empty string; one over {@link Limits#MAX_SENTENCE_CHARACTERS}
     * is refused.
     */
    public List<String> translate(List<String> sentences, PrintStream warnings) {
        List<String> best = new ArrayList<>(sentences.size());
        for (List<Translation> nBest : translateNBest(sentences, warnings)) {
            best.add(nBest.get(0).text());
        }
        return best;
    }

    /**
     * As {@link #translate}, with each sentence's n-best outputs (as many as the options ask for, or
     * fewer when the search finds fewer), best first. A blank sentence has one: empty, score 0.
     */
    public List<List<Translation>> translateNBest(List<String> sentences, PrintStream warnings) {
        List<SentenceTranslation> translated = translateAll(sentences);
        TreeSet<String> unknown = new TreeSet<>();
        boolean tooLongWarned = false;
        List<List<Translation>> nBests = new ArrayList<>(translated.size());
        for (SentenceTranslation sentence : translated) {
            if (sentence.longerThanTraining() && !tooLongWarned) {
                warnings.println("warning: " + SentenceTranslation.tooLong(sentence.source(),
                        model.config().level().unit(), model.config().maxSourceLength()));
                tooLongWarned = true;
            }
            for (String token : sentence.unknownTokens()) {
                if (reportedUnknown.add(token)) {
                    unknown.add(token);
                }
            }
            nBests.add(sentence.nBest());
        }
        if (!unknown.isEmpty()) {
            warnings.println("warning: " + SentenceTranslation.unknown(List.copyOf(unknown)));
        }
        return nBests;
    }

    /**
     * Translates the sentences, each into its n-best outputs with what may make them poor (unknown
     * tokens, a sentence longer than any in training) as data; nothing is printed. A blank sentence
     * has one output: empty, score 0. A sentence over {@link Limits#MAX_SENTENCE_CHARACTERS} is
     * refused with an {@link IllegalArgumentException}.
     */
    public List<SentenceTranslation> translateAll(List<String> sentences) {
        Tokenizer sourceTokenizer = model.sourceTokenizer();
        Vocabulary vocabulary = model.sourceVocabulary();
        List<String> texts = new ArrayList<>(sentences.size());
        List<int[]> sources = new ArrayList<>(sentences.size());
        List<List<String>> sourceTokens = new ArrayList<>(sentences.size());
        for (String sentence : sentences) {
            String text = sentence.strip();
            if (Limits.characters(text) > Limits.MAX_SENTENCE_CHARACTERS) {
                throw new IllegalArgumentException("a sentence of " + Limits.characters(text) + " characters is longer"
                        + " than the limit of " + Limits.MAX_SENTENCE_CHARACTERS + ": \""
                        + text.substring(0, text.offsetByCodePoints(0, 40)) + "...\"");
            }
            List<String> tokens = sourceTokenizer.tokens(text);
            texts.add(text);
            sources.add(vocabulary.encode(tokens));
            sourceTokens.add(tokens);
        }
        List<int[]> nonEmpty = new ArrayList<>();
        for (int[] source : sources) {
            if (source.length > 0) {
                nonEmpty.add(source);
            }
        }
        List<List<Hypothesis>> decoded = nonEmpty.isEmpty() ? List.of() : decode(nonEmpty);
        List<SentenceTranslation> translations = new ArrayList<>(sentences.size());
        int next = 0;
        Tokenizer targetTokenizer = model.targetTokenizer();
        Vocabulary target = model.targetVocabulary();
        for (int i = 0; i < sources.size(); i++) {
            List<String> tokens = sourceTokens.get(i);
            TreeSet<String> unknown = new TreeSet<>();
            for (String token : tokens) {
                if (!vocabulary.contains(token)) {
                    unknown.add(token);
                }
            }
            boolean tooLong = tokens.size() > model.config().maxSourceLength();
            if (sources.get(i).length == 0) {
                translations.add(new SentenceTranslation(texts.get(i), List.of(new Translation("", 0)), List.of(),
                        false));
                continue;
            }
            List<Translation> nBest = new ArrayList<>();
            for (Hypothesis hypothesis : decoded.get(next++)) {
                List<String> output = target.decode(hypothesis.tokens());
                if (options.replaceUnknown()) {
                    output = replaceUnknown(hypothesis, output, tokens);
                }
                nBest.add(new Translation(targetTokenizer.join(output), hypothesis.score(), hypothesis.attention(),
                        List.copyOf(tokens), output));
            }
            translations.add(new SentenceTranslation(texts.get(i), nBest, List.copyOf(unknown), tooLong));
        }
        return translations;
    }

    /** Decodes with a snapshot of its own, borrowed from the pool (or made) and given back after. */
    private List<List<Hypothesis>> decode(List<int[]> sources) {
        Decoding decoding = idle.pollFirst();
        if (decoding == null) {
            decoding = model.decoding();
        }
        try {
            return BeamSearch.decode(decoding, sources, options, batchSize);
        } finally {
            idle.addFirst(decoding);
        }
    }

    /**
     * The output with each unknown token replaced by the source token its step attended to most
     * (row j of the attention belongs to output token j).
     */
    public static List<String> replaceUnknown(Hypothesis hypothesis, List<String> output, List<String> source) {
        List<String> replaced = new ArrayList<>(output);
        int[] tokens = hypothesis.tokens();
        for (int j = 0; j < tokens.length; j++) {
            if (tokens[j] == Vocabulary.UNKNOWN) {
                replaced.set(j, source.get(Translation.strongest(hypothesis.attention()[j])));
            }
        }
        return replaced;
    }
}
