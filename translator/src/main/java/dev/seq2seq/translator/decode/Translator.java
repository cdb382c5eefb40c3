package dev.seq2seq.translator.decode;

import dev.seq2seq.translator.data.Level;
import dev.seq2seq.translator.data.Limits;
import dev.seq2seq.translator.data.Tokenizer;
import dev.seq2seq.translator.data.Vocabulary;
import dev.seq2seq.translator.model.Seq2SeqModel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Text in, text out, for a model whose weights no longer change (the decoding steppers keep a
 * snapshot of them): tokenises the sentences with the model's vocabulary (tokens never seen in
 * training become the unknown id, with one warning naming them), decodes (greedily or with a beam,
 * as its {@link DecodeOptions} say), and joins the output tokens back into text.
 */
public final class Translator {
    private final Seq2SeqModel model;
    private final DecodeOptions options;
    private final int batchSize;
    private final Set<String> reportedUnknown = new HashSet<>();
    /** Made on first use and kept: a stream of small batches must not copy the weight panels each time. */
    private Seq2SeqModel.Decoding decoding;

    /**
     * One output, its score (the total log-probability after the length penalty), and for a model
     * with attention the weights over the source tokens behind each output token
     * ([output tokens][source tokens], null otherwise), with both token lists (for pictures).
     */
    public record Translation(String text, double score, float[][] attention, List<String> sourceTokens,
                              List<String> outputTokens) {
        public Translation(String text, double score) {
            this(text, score, null, List.of(), List.of());
        }

        /**
         * The Pharaoh alignment "i-j ...": for each output token j, the source token i it attends to
         * most (as OpenNMT-py's {@code align}); empty without attention.
         */
        public String alignment() {
            if (attention == null) {
                return "";
            }
            StringBuilder pairs = new StringBuilder();
            for (int j = 0; j < attention.length; j++) {
                pairs.append(j == 0 ? "" : " ").append(strongest(attention[j])).append('-').append(j);
            }
            return pairs.toString();
        }
    }

    /**
     * A greedy translator.
     *
     * @param maxLength longest output, in tokens, at most {@link Limits#MAX_SENTENCE_CHARACTERS}
     */
    public Translator(Seq2SeqModel model, int maxLength, int batchSize) {
        this(model, DecodeOptions.greedy(maxLength), batchSize);
    }

    /** A translator decoding as {@code options} say, {@code batchSize} sentences at a time. */
    public Translator(Seq2SeqModel model, DecodeOptions options, int batchSize) {
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
        Level level = model.config().level();
        Tokenizer sourceTokenizer = model.sourceTokenizer();
        Vocabulary vocabulary = model.sourceVocabulary();
        TreeSet<String> unknown = new TreeSet<>();
        List<int[]> sources = new ArrayList<>(sentences.size());
        List<List<String>> sourceTokens = new ArrayList<>(sentences.size());
        boolean tooLongWarned = false;
        for (String sentence : sentences) {
            String text = sentence.strip();
            if (Limits.characters(text) > Limits.MAX_SENTENCE_CHARACTERS) {
                throw new IllegalArgumentException("a sentence of " + Limits.characters(text) + " characters is longer"
                        + " than the limit of " + Limits.MAX_SENTENCE_CHARACTERS + ": \""
                        + text.substring(0, text.offsetByCodePoints(0, 40)) + "...\"");
            }
            List<String> tokens = sourceTokenizer.tokens(text);
            if (tokens.size() > model.config().maxSourceLength() && !tooLongWarned) {
                warnings.println("warning: \"" + text + "\" is longer than any training sentence ("
                        + model.config().maxSourceLength() + " " + level.unit()
                        + "); expect a poor translation");
                tooLongWarned = true;
            }
            for (String token : tokens) {
                if (!vocabulary.contains(token) && reportedUnknown.add(token)) {
                    unknown.add(token);
                }
            }
            sources.add(vocabulary.encode(tokens));
            sourceTokens.add(tokens);
        }
        if (!unknown.isEmpty()) {
            List<String> shown = new ArrayList<>();
            for (String token : unknown) {
                shown.add("'" + token + "'" + (token.length() == 1 ? String.format(" (U+%04X)", (int) token.charAt(0)) : ""));
            }
            warnings.println("warning: never seen in training, read as unknown: " + String.join(", ", shown));
        }
        List<int[]> nonEmpty = new ArrayList<>();
        for (int[] source : sources) {
            if (source.length > 0) {
                nonEmpty.add(source);
            }
        }
        if (decoding == null) {
            decoding = model.decoding();
        }
        List<List<Hypothesis>> decoded = BeamSearch.decode(decoding, nonEmpty, options, batchSize);
        List<List<Translation>> translations = new ArrayList<>(sentences.size());
        int next = 0;
        Vocabulary target = model.targetVocabulary();
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i).length == 0) {
                translations.add(List.of(new Translation("", 0)));
                continue;
            }
            List<Translation> nBest = new ArrayList<>();
            for (Hypothesis hypothesis : decoded.get(next++)) {
                List<String> output = target.decode(hypothesis.tokens());
                if (options.replaceUnknown()) {
                    output = replaceUnknown(hypothesis, output, sourceTokens.get(i));
                }
                nBest.add(new Translation(level.join(output), hypothesis.score(), hypothesis.attention(),
                        List.copyOf(sourceTokens.get(i)), output));
            }
            translations.add(nBest);
        }
        return translations;
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
                replaced.set(j, source.get(strongest(hypothesis.attention()[j])));
            }
        }
        return replaced;
    }

    /** The source position an output token attends to most (the first, on a tie). */
    static int strongest(float[] weights) {
        int best = 0;
        for (int s = 1; s < weights.length; s++) {
            if (weights[s] > weights[best]) {
                best = s;
            }
        }
        return best;
    }
}
