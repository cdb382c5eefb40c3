package dev.seq2seq.translator.data;

import java.util.List;

/**
 * One side's way from text to tokens and back: its {@link Level}, and for the pieces level the
 * merges learned from that side's training sentences.
 *
 * @param bpe the side's merges; null unless the level is {@link Level#BPE}
 */
public record Tokenizer(Level level, Bpe bpe) {
    public Tokenizer {
        if ((level == Level.BPE) != (bpe != null)) {
            throw new IllegalArgumentException("merges go with the pieces level, and only with it (level " + level
                    + ")");
        }
    }

    /** The tokenizer of a level that needs no merges (characters or words). */
    public static Tokenizer of(Level level) {
        return new Tokenizer(level, null);
    }

    /** The tokenizer of the level, with these merges for the pieces level (ignored otherwise). */
    public static Tokenizer of(Level level, List<String> merges) {
        return new Tokenizer(level, level == Level.BPE ? Bpe.of(merges) : null);
    }

    /** The sentence's tokens, in order. */
    public List<String> tokens(String sentence) {
        List<String> tokens = level.tokens(sentence);
        return bpe == null ? tokens : bpe.pieces(tokens);
    }

    /** Tokens back into text. */
    public String join(List<String> tokens) {
        return level.join(tokens);
    }

    /** The merges (empty unless the level is {@link Level#BPE}): what a checkpoint stores. */
    public List<String> merges() {
        return bpe == null ? List.of() : bpe.merges();
    }
}
