package dev.seq2seq.translator.model;

import dev.seq2seq.nn.io.CheckpointException;
import dev.seq2seq.translator.data.Bpe;
import dev.seq2seq.translator.data.Level;
import dev.seq2seq.translator.data.Limits;
import dev.seq2seq.translator.data.Padding;
import dev.seq2seq.translator.data.Tokenizer;
import dev.seq2seq.translator.data.Vocabulary;
import dev.seq2seq.translator.data.Words;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * Everything needed to rebuild a model before its weights are loaded; stored in the checkpoint's
 * metadata, so a checkpoint is self-contained. {@link #read} checks every field of a stored one,
 * and {@link #requireFitsInMemory} the size it implies, before any weight is allocated.
 *
 * @param maxSourceLength longest training source, in tokens
 * @param maxTargetLength longest training target, in tokens (without start and end): the default
 *                        decoding limit is this plus a margin
 * @param sourceMerges    at the pieces level, the source side's BPE merges in the order learned
 *                        (empty at the other levels)
 * @param targetMerges    the same for the target side
 * @param words           how the word and pieces levels cut words (WHOLE for every checkpoint
 *                        written before the rule was a choice)
 */
public record ModelConfig(Level level, Cell cell, int latent, Padding padding,
                          List<String> sourceTokens, List<String> targetTokens,
                          int maxSourceLength, int maxTargetLength, long seed, Attention attention,
                          boolean bidirectional, float dropout, int layers, List<String> sourceMerges,
                          List<String> targetMerges, Words words) {
    /** The most recurrent layers accepted on each side. */
    public static final int MAX_LAYERS = 8;


    public ModelConfig {
        if (level == null || cell == null || padding == null || attention == null || words == null) {
            throw new IllegalArgumentException("level, cell, padding, attention and the word rule are required");
        }
        if (latent < 1) {
            throw new IllegalArgumentException("latent size must be positive, got " + latent);
        }
        if (bidirectional && latent % 2 != 0) {
            throw new IllegalArgumentException("a bidirectional encoder splits --latent between its two directions:"
                    + " it must be even, got " + latent);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
        }
        if (layers < 1 || layers > MAX_LAYERS) {
            throw new IllegalArgumentException("--layers must be from 1 to " + MAX_LAYERS + ", got " + layers);
        }
        sourceTokens = List.copyOf(sourceTokens);
        targetTokens = List.copyOf(targetTokens);
        sourceMerges = List.copyOf(sourceMerges);
        targetMerges = List.copyOf(targetMerges);
        if (level != Level.BPE && !(sourceMerges.isEmpty() && targetMerges.isEmpty())) {
            throw new IllegalArgumentException("merges go with the pieces level only, not with " + level);
        }
    }

    /** A configuration without merges (characters, or whole words). */
    public ModelConfig(Level level, Cell cell, int latent, Padding padding, List<String> sourceTokens,
                       List<String> targetTokens, int maxSourceLength, int maxTargetLength, long seed,
                       Attention attention, boolean bidirectional, float dropout, int layers) {
        this(level, cell, latent, padding, sourceTokens, targetTokens, maxSourceLength, maxTargetLength, seed,
                attention, bidirectional, dropout, layers, List.of(), List.of(), Words.WHOLE);
    }

    /** The source side's tokenizer. */
    public Tokenizer sourceTokenizer() {
        return Tokenizer.of(level, words, sourceMerges);
    }

    /** The target side's tokenizer. */
    public Tokenizer targetTokenizer() {
        return Tokenizer.of(level, words, targetMerges);
    }

    /** The stored configuration, every field checked; the message of a bad one names it. */
    static ModelConfig read(Path file, String json) throws CheckpointException {
        MetadataReader config = MetadataReader.parse(file, "config", json);
        Level level = config.choice("level", Level.class);
        Cell cell = config.choice("cell", Cell.class);
        int latent = config.integer("latent", 1, Integer.MAX_VALUE);
        Padding padding = config.choice("padding", Padding.class);
        List<String> sourceTokens = distinct(file, "config.sourceTokens", config.strings("sourceTokens"));
        List<String> targetTokens = distinct(file, "config.targetTokens", config.strings("targetTokens"));
        int maxSource = config.integer("maxSourceLength", 1, Limits.MAX_SENTENCE_CHARACTERS);
        int maxTarget = config.integer("maxTargetLength", 1, Limits.MAX_SENTENCE_CHARACTERS);
        long seed = config.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        // checkpoints written before attention existed have no such field: the seed's model
        Attention attention = config.has("attention") ? config.choice("attention", Attention.class) : Attention.NONE;
        boolean bidirectional = config.has("bidirectional") && config.bool("bidirectional");
        if (bidirectional && latent % 2 != 0) {
            throw new CheckpointException(file, "metadata field config.latent is " + latent
                    + "; a bidirectional encoder needs an even latent size");
        }
        float dropout = config.has("dropout") ? (float) config.number("dropout", 0, Math.nextDown(1.0)) : 0f;
        int layers = config.has("layers") ? config.integer("layers", 1, MAX_LAYERS) : 1;
        List<String> sourceMerges = merges(file, config, level, "sourceMerges");
        List<String> targetMerges = merges(file, config, level, "targetMerges");
        // checkpoints written before the rule was a choice kept words whole
        Words words = config.has("words") ? config.choice("words", Words.class) : Words.WHOLE;
        return new ModelConfig(level, cell, latent, padding, sourceTokens, targetTokens, maxSource, maxTarget, seed,
                attention, bidirectional, dropout, layers, sourceMerges, targetMerges, words);
    }

    /** A side's merges: required at the pieces level, absent (or empty) at the others, each one "left right". */
    private static List<String> merges(Path file, MetadataReader config, Level level, String field)
            throws CheckpointException {
        if (level != Level.BPE) {
            if (config.has(field) && !config.strings(field).isEmpty()) {
                throw new CheckpointException(file, "metadata field config." + field + " holds merges, but config.level"
                        + " is " + level);
            }
            return List.of();
        }
        if (!config.has(field)) {
            throw new CheckpointException(file, "metadata field config." + field + " is missing (config.level is bpe)");
        }
        List<String> merges = config.strings(field);
        try {
            Bpe.of(merges);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, "metadata field config." + field + ": " + e.getMessage());
        }
        return merges;
    }

    private static List<String> distinct(Path file, String field, List<String> tokens)
            throws CheckpointException {
        if (tokens.isEmpty()) {
            throw new CheckpointException(file, "metadata field " + field + " is empty");
        }
        HashSet<String> seen = new HashSet<>(Vocabulary.reserved());
        for (String token : tokens) {
            if (!seen.add(token)) {
                throw new CheckpointException(file, "metadata field " + field + " holds '" + token
                        + "' twice, or a reserved token");
            }
        }
        return tokens;
    }

    public Vocabulary sourceVocabulary() {
        return Vocabulary.of(sourceTokens);
    }

    public Vocabulary targetVocabulary() {
        return Vocabulary.of(targetTokens);
    }

    /**
     * The number of weights this configuration has, computed without building it:
     * per recurrent layer G gates x H units x (inputs + H + bias rows), the Dense head H x V + V,
     * and at the word level the two embedding tables.
     */
    public long parameterCount() {
        long h = latent;
        long sourceSize = sourceTokens.size() + Vocabulary.reserved().size();
        long targetSize = targetTokens.size() + Vocabulary.reserved().size();
        boolean words = level.embedded();
        long gates = cell == Cell.LSTM ? 4 : 3;
        long biasRows = cell == Cell.LSTM ? 1 : 2;
        long embeddings = words ? (sourceSize + targetSize) * h : 0;
        long feed = attention == Attention.NONE ? 0 : h; // input feeding: h~ beside the token
        // bidirectional: two directions of H/2 units, and a bridge [H, H] + H for h (and for c)
        long encoder = bidirectional
                ? 2 * gates * (h / 2) * ((words ? h : sourceSize) + h / 2 + biasRows)
                        + (cell == Cell.LSTM ? 2 : 1) * (h * h + h)
                : gates * h * ((words ? h : sourceSize) + h + biasRows);
        long decoder = gates * h * ((words ? h : targetSize) + feed + h + biasRows);
        // each layer above the first reads H values: a recurrent layer (two halves when bidirectional,
        // then its own bridge) on each side
        long bridge = (cell == Cell.LSTM ? 2 : 1) * (h * h + h);
        long upperEncoder = bidirectional ? 2 * gates * (h / 2) * (h + h / 2 + biasRows) + bridge
                : gates * h * (h + h + biasRows);
        long upperDecoder = gates * h * (h + h + biasRows);
        long upper = (layers - 1) * (upperEncoder + upperDecoder);
        long head = h * targetSize + targetSize;
        long attentionWeights = switch (attention) {
            case NONE -> 0;
            case DOT -> 2 * h * h;
            case GENERAL -> 3 * h * h;
            case ADDITIVE -> 4 * h * h + h;
        };
        return embeddings + encoder + decoder + upper + head + attentionWeights;
    }

    /**
     * Refuses a configuration whose weights would not fit this JVM's heap: {@code copies} float32
     * copies of every weight (1 to translate; 4 to train: weights, gradients, RMSprop's averages and
     * a margin for the activations), or one tensor beyond a Java array's reach.
     */
    public void requireFitsInMemory(int copies, String what) {
        long parameters = parameterCount();
        // The largest single tensor: a kernel [max(H, V), G*H] with G <= 4 bounds every other one.
        long widestInput = Math.max(latent, (long) Math.max(sourceTokens.size(), targetTokens.size())
                + Vocabulary.reserved().size());
        long largestTensor = widestInput * 4L * latent;
        long bytes = 4L * parameters * copies;
        long available = Runtime.getRuntime().maxMemory();
        if (largestTensor > Integer.MAX_VALUE - 8 || bytes > available) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: a model of latent size %d has %,d"
                    + " parameters, which needs about %s; this Java process may use %s (give it more with"
                    + " SEQ2SEQ_JAVA_OPTS=-Xmx8g, for example)", what, latent, parameters,
                    gigabytes(bytes), gigabytes(available)));
        }
    }

    private static String gigabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}
