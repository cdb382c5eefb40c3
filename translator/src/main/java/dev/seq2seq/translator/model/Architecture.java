package dev.seq2seq.translator.model;

import dev.seq2seq.translator.data.Level;
import dev.seq2seq.translator.data.Padding;
import dev.seq2seq.translator.data.Words;

/**
 * The shape of a model to build, as train's options give it: the seed's model is characters, an
 * LSTM of 256 units, one layer each side, no attention, no dropout.
 *
 * @param words how the word and pieces levels cut words
 */
public record Architecture(Level level, Cell cell, int latent, Padding padding, Attention attention,
                           boolean bidirectional, int layers, float dropout, Words words) {

    /** With whole words (what the word level did before {@link Words#SPLIT}). */
    public Architecture(Level level, Cell cell, int latent, Padding padding, Attention attention,
                        boolean bidirectional, int layers, float dropout) {
        this(level, cell, latent, padding, attention, bidirectional, layers, dropout, Words.WHOLE);
    }

    /** The seed's kind of model: no attention, one unidirectional layer each side, no dropout. */
    public static Architecture plain(Level level, Cell cell, int latent, Padding padding) {
        return new Architecture(level, cell, latent, padding, Attention.NONE, false, 1, 0f);
    }

    public Architecture withAttention(Attention kind) {
        return new Architecture(level, cell, latent, padding, kind, bidirectional, layers, dropout, words);
    }

    public Architecture withBidirectional(boolean value) {
        return new Architecture(level, cell, latent, padding, attention, value, layers, dropout, words);
    }

    public Architecture withLayers(int count) {
        return new Architecture(level, cell, latent, padding, attention, bidirectional, count, dropout, words);
    }

    public Architecture withDropout(float rate) {
        return new Architecture(level, cell, latent, padding, attention, bidirectional, layers, rate, words);
    }

    public Architecture withWords(Words rule) {
        return new Architecture(level, cell, latent, padding, attention, bidirectional, layers, dropout, rule);
    }
}
