package dev.seq2seq.app.decode;

import dev.seq2seq.app.data.Level;
import dev.seq2seq.app.data.Vocabulary;
import dev.seq2seq.app.model.Seq2SeqModel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Text in, text out: tokenises the sentences with the model's vocabulary (tokens never seen in
 * training become the unknown id, with one warning naming them), decodes greedily, and joins
 * the output tokens back into text.
 */
public final class Translator {
    /** Inputs longer than this many tokens are refused: far beyond anything a model here trains on. */
    public static final int HARD_LIMIT = 1000;

    private final Seq2SeqModel model;
    private final int maxLength;
    private final int batchSize;

    public Translator(Seq2SeqModel model, int maxLength, int batchSize) {
        this.model = model;
        this.maxLength = maxLength;
        this.batchSize = batchSize;
    }

    /** The decoding limit the seed uses: the longest training target, plus the end marker, plus a margin. */
    public static int defaultMaxLength(Seq2SeqModel model) {
        return model.config().maxTargetLength() + 1 + Math.max(2, model.config().maxTargetLength() / 4);
    }

    /**
     * Translates the sentences; problems (unknown tokens, overlong input) are reported on
     * {@code warnings}. A blank sentence translates to an empty string.
     */
    public List<String> translate(List<String> sentences, PrintStream warnings) {
        Level level = model.config().level();
        Vocabulary vocabulary = model.sourceVocabulary();
        TreeSet<String> unknown = new TreeSet<>();
        List<int[]> sources = new ArrayList<>(sentences.size());
        boolean tooLongWarned = false;
        for (String sentence : sentences) {
            List<String> tokens = level.tokens(sentence.strip());
            if (tokens.size() > HARD_LIMIT) {
                throw new IllegalArgumentException("a sentence of " + tokens.size() + " tokens is longer than the limit of "
                        + HARD_LIMIT + ": \"" + sentence.substring(0, 40) + "...\"");
            }
            if (tokens.size() > model.config().maxSourceLength() && !tooLongWarned) {
                warnings.println("warning: \"" + sentence.strip() + "\" is longer than any training sentence ("
                        + model.config().maxSourceLength() + " " + (level == Level.CHAR ? "characters" : "words")
                        + "); expect a poor translation");
                tooLongWarned = true;
            }
            for (String token : tokens) {
                if (!vocabulary.contains(token)) {
                    unknown.add(token);
                }
            }
            sources.add(vocabulary.encode(tokens));
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
        List<int[]> decoded = GreedyDecoder.decode(model, nonEmpty, maxLength, batchSize);
        List<String> translations = new ArrayList<>(sentences.size());
        int next = 0;
        Vocabulary target = model.targetVocabulary();
        for (int[] source : sources) {
            if (source.length == 0) {
                translations.add("");
                continue;
            }
            List<String> tokens = new ArrayList<>();
            for (int id : decoded.get(next++)) {
                tokens.add(target.token(id));
            }
            translations.add(level.join(tokens));
        }
        return translations;
    }
}
