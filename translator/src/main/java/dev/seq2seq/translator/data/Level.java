package dev.seq2seq.translator.data;

import java.util.Locale;

/**
 * How a sentence is cut into tokens: characters (the seed's model), words (its word-level
 * variant, with Embedding layers), or subword pieces of words ({@link Bpe}, with Embedding layers).
 * {@link Tokenizer} cuts a sentence at each level: into code points, into {@link Words}, or into
 * words and then pieces, with the learned merges.
 */
public enum Level {
    /** One token per Unicode code point: the seed's model, one-hot inputs. */
    CHAR,
    /** One token per word or other visible character ({@link Words} says what a word is). */
    WORD,
    /** Words cut into the pieces {@link Bpe} learned. */
    BPE;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT); // as users type it, and picocli completes it
    }

    /** True when tokens are looked up in an Embedding table (words and pieces), not one-hot (characters). */
    public boolean embedded() {
        return this != CHAR;
    }

    /** What a token is called in messages. */
    public String unit() {
        return switch (this) {
            case CHAR -> "characters";
            case WORD -> "words";
            case BPE -> "pieces";
        };
    }
}
