package dev.seq2seq.translator;

import dev.seq2seq.nn.WeightPrecision;
import dev.seq2seq.translator.decode.BatchTranslator;
import dev.seq2seq.translator.decode.DecodeOptions;
import dev.seq2seq.translator.decode.SentenceTranslation;
import dev.seq2seq.translator.model.Decoding;
import dev.seq2seq.translator.model.ModelConfig;
import dev.seq2seq.translator.model.ModelFile;
import dev.seq2seq.translator.model.Seq2SeqModel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;

/**
 * A trained translator, ready to translate: the one entry point for programs.
 *
 * <pre>{@code
 * Translator translator = Translator.load(Path.of("model.safetensors"));
 * List<String> french = translator.translate(List.of("I am cold.", "Help!"));
 * }</pre>
 *
 * <p>Safe for many threads: callers may share one {@code Translator}, and each gets the same
 * outputs it would get alone (each call decodes with a snapshot of the weights of its own, taken
 * from a pool that grows to the number of concurrent callers; the kernels' worker threads serve one
 * call at a time). Nothing is printed: what may make a translation poor (tokens never seen in
 * training, a sentence longer than any in training) comes back as data in each
 * {@link SentenceTranslation}. The only state shared with other translators is the kernel
 * backend (see {@code dev.seq2seq.engine.kernels.Backend}).
 */
public final class Translator {
    /** Sentences decoded side by side; more are cut into batches of this many. */
    public static final int BATCH = 64;

    private final Seq2SeqModel model;
    private final DecodeOptions defaults;
    private final ConcurrentLinkedDeque<Decoding> decodings = new ConcurrentLinkedDeque<>();
    private final BatchTranslator byDefault;

    private Translator(Seq2SeqModel model) {
        this.model = model;
        this.defaults = DecodeOptions.defaults(BatchTranslator.defaultMaxLength(model));
        this.byDefault = new BatchTranslator(model, defaults, BATCH, decodings);
    }

    /**
     * Loads a checkpoint written by {@code seq2seq train} (its best or its last epoch).
     *
     * @throws IOException when the file cannot be read or is not such a checkpoint; the message
     *                     names the file and the problem
     */
    public static Translator load(Path checkpoint) throws IOException {
        return new Translator(ModelFile.load(checkpoint).model());
    }

    /**
     * As {@link #load(Path)}, decoding with the model's step matrices in {@code precision} (see
     * {@link Seq2SeqModel#withDecodingWeights}; {@code seq2seq translate --weights}).
     */
    public static Translator load(Path checkpoint, WeightPrecision precision) throws IOException {
        return new Translator(ModelFile.load(checkpoint).model().withDecodingWeights(precision));
    }

    /** A translator for a model in memory (e.g. just trained); its weights must not change any more. */
    public static Translator of(Seq2SeqModel model) {
        return new Translator(model);
    }

    /**
     * The best translation of each sentence, with {@link #defaultOptions()}. A blank sentence
     * translates to an empty string.
     *
     * @throws IllegalArgumentException for a sentence longer than
     *                                  {@link dev.seq2seq.translator.data.Limits#MAX_SENTENCE_CHARACTERS}
     */
    public List<String> translate(List<String> sentences) {
        List<String> best = new ArrayList<>(sentences.size());
        for (SentenceTranslation sentence : byDefault.translateAll(sentences)) {
            best.add(sentence.best().text());
        }
        return best;
    }

    /**
     * Each sentence's n-best outputs (as many as {@code options} ask for, or fewer when the search
     * finds fewer; best first), with their scores, for a model with attention the weights behind
     * each output token (and so its alignment), and the sentence's warnings.
     *
     * @throws IllegalArgumentException for a sentence over the length limit, or options this model
     *                                  cannot honour (replacing unknown tokens without attention)
     */
    public List<SentenceTranslation> translate(List<String> sentences, DecodeOptions options) {
        BatchTranslator translator = options.equals(defaults) ? byDefault
                : new BatchTranslator(model, options, BATCH, decodings);
        return translator.translateAll(sentences);
    }

    /**
     * What {@link #translate(List)} uses: a beam of 5, the best output, outputs up to the longest
     * training target plus a quarter. Change them with {@code withBeam}, {@code withNBest}, ...
     */
    public DecodeOptions defaultOptions() {
        return defaults;
    }

    /**
     * Translates {@code sentences} (one alone, the first two together, then all; with the default
     * options) over and over until they stop getting faster, for at most about {@code budget}: what
     * a server does before it says it is ready, so that its first request is not the one that pays
     * for the JVM's compilers (see {@link WarmUp}). The translator is unchanged by it.
     *
     * @throws IllegalArgumentException for no sentences, or a sentence {@link #translate(List)} refuses
     */
    public WarmUp warmUp(List<String> sentences, Duration budget) {
        return warmUp(sentences, budget, pass -> { });
    }

    /** {@link #warmUp(List, Duration)}, telling {@code eachPass} each pass's time. */
    public WarmUp warmUp(List<String> sentences, Duration budget, Consumer<Duration> eachPass) {
        if (sentences.isEmpty()) {
            throw new IllegalArgumentException("a warm-up needs at least one sentence");
        }
        return WarmUp.run(WarmUp.passOver(this, List.copyOf(sentences)), budget, eachPass);
    }

    /** Whether the model attends to the source (so outputs carry attention weights and alignments). */
    public boolean attends() {
        return model.attends();
    }

    /** What the model is: cell, sizes, level, attention, vocabularies' sizes, longest training sentences. */
    public ModelConfig config() {
        return model.config();
    }

    /** The model itself, for what this class does not offer (evaluation, further training). */
    public Seq2SeqModel model() {
        return model;
    }
}
