package dev.seq2seq.translator.data;

import java.util.ArrayList;
import java.util.List;

/**
 * One side's way from text to tokens and back: its {@link Level}, the {@link Words} rule of the
 * word and pieces levels, and for the pieces level the merges learned from that side's training
 * sentences.
 *
 * @param words how words are cut (the character level ignores it)
 * @param bpe   the side's merges; null unless the level is {@link Level#BPE}
 */
public record Tokenizer(Level level, Words words, Bpe bpe) {
    public Tokenizer {
        if (level == null || words == null) {
            throw new IllegalArgumentException("a tokenizer needs a level and a word rule");
        }
        if ((level == Level.BPE) != (bpe != null)) {
            throw new IllegalArgumentException("merges go with the pieces level, and only with it (level " + level
                    + ")");
        }
    }

    /** The tokenizer of a level that needs no merges (characters, or words cut by {@code words}). */
    public static Tokenizer of(Level level, Words words) {
        return new Tokenizer(level, words, null);
    }

    /** The tokenizer of the level, with these merges for the pieces level (ignored otherwise). */
    public static Tokenizer of(Level level, Words words, List<String> merges) {
        return new Tokenizer(level, words, level == Level.BPE ? Bpe.of(merges) : null);
    }

    /** The sentence's tokens, in order. */
    public List<String> tokens(String sentence) {
        return switch (level) {
            case CHAR -> codePoints(sentence);
            case WORD -> words.tokens(sentence);
            case BPE -> bpe.pieces(words.tokens(sentence));
        };
    }

    /** Tokens back into text. */
    public String join(List<String> tokens) {
        return switch (level) {
            case CHAR -> String.join("", tokens);
            case WORD -> words.join(tokens);
            case BPE -> words.join(Bpe.words(tokens)); // pieces glued back into words first
        };
    }

    /**
     * The text as this tokenizer would give it back: a reference is compared with outputs in this
     * form, so spacing the tokens cannot keep (a narrow space before "?") counts for nothing.
     */
    public String normalize(String text) {
        return level == Level.CHAR ? text : words.join(words.tokens(text));
    }

    /** The merges (empty unless the level is {@link Level#BPE}): what a checkpoint stores. */
    public List<String> merges() {
        return bpe == null ? List.of() : bpe.merges();
    }

    private static List<String> codePoints(String sentence) {
        List<String> tokens = new ArrayList<>(sentence.length());
        sentence.codePoints().forEach(c -> tokens.add(new String(Character.toChars(c))));
        return tokens;
    }
}
