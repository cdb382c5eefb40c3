package dev.seq2seq.translator.decode;

import dev.seq2seq.translator.data.Limits;
import java.util.Locale;

/**
 * How to decode: the beam's width (1 = greedy), how many hypotheses to return per sentence, the
 * length penalty and its alpha, and the output length limit: at most {@code maxLength} tokens, and,
 * when {@code maxLengthRatio} is positive, at most that many times the source's length (rounded up).
 * With {@code replaceUnknown} the search may choose the unknown token, and each one in an output is
 * replaced by the source token its step attended to most (OpenNMT-py's {@code -replace_unk}): a
 * word outside a capped vocabulary, often a name, is copied through instead of lost. It needs a
 * model with attention; without it the unknown token is never chosen.
 */
public record DecodeOptions(int beam, int nBest, LengthPenalty lengthPenalty, double alpha, int maxLength,
                            double maxLengthRatio, boolean replaceUnknown) {
    /** The default beam width: see the README's measurement. */
    public static final int DEFAULT_BEAM = 5;
    /** The default length penalty: see the README's measurement. */
    public static final String DEFAULT_PENALTY = "avg";
    /** The default alpha of the wu length penalty: see the README's measurement. */
    public static final double DEFAULT_ALPHA = 1.0;
    /** The widest beam accepted: the decoder steps beam x batch rows at once. */
    public static final int MAX_BEAM = 64;

    public DecodeOptions {
        if (beam < 1 || nBest < 1 || nBest > beam) {
            throw new IllegalArgumentException("the beam must be at least 1 and the n-best from 1 to the beam's width,"
                    + " got beam " + beam + " and n-best " + nBest);
        }
        if (beam > MAX_BEAM) {
            throw new IllegalArgumentException("the beam is at most " + MAX_BEAM + " wide, got " + beam);
        }
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be a finite number >= 0, got " + alpha);
        }
        if (maxLength < 1 || maxLength > Limits.MAX_SENTENCE_CHARACTERS) {
            throw new IllegalArgumentException("the output length limit must be from 1 to "
                    + Limits.MAX_SENTENCE_CHARACTERS + ", got " + maxLength);
        }
        if (!(maxLengthRatio >= 0) || Double.isInfinite(maxLengthRatio)) {
            throw new IllegalArgumentException("the length ratio must be a finite number >= 0 (0 = none), got "
                    + maxLengthRatio);
        }
    }

    /** Options that never choose the unknown token. */
    public DecodeOptions(int beam, int nBest, LengthPenalty lengthPenalty, double alpha, int maxLength,
                         double maxLengthRatio) {
        this(beam, nBest, lengthPenalty, alpha, maxLength, maxLengthRatio, false);
    }

    /**
     * The command line's defaults: a beam of {@link #DEFAULT_BEAM}, the best output only, the
     * {@link #DEFAULT_PENALTY} length penalty, outputs of at most {@code maxLength} tokens.
     */
    public static DecodeOptions defaults(int maxLength) {
        return new DecodeOptions(DEFAULT_BEAM, 1, LengthPenalty.valueOf(DEFAULT_PENALTY.toUpperCase(Locale.ROOT)),
                DEFAULT_ALPHA, maxLength, 0, false);
    }

    /** These options with a beam of {@code width} (1 = greedy); the n-best shrinks to fit. */
    public DecodeOptions withBeam(int width) {
        return new DecodeOptions(width, Math.min(nBest, Math.max(1, width)), lengthPenalty, alpha, maxLength,
                maxLengthRatio, replaceUnknown);
    }

    /** These options returning the {@code count} best outputs per sentence (at most the beam's width). */
    public DecodeOptions withNBest(int count) {
        return new DecodeOptions(beam, count, lengthPenalty, alpha, maxLength, maxLengthRatio, replaceUnknown);
    }

    /** These options with outputs of at most {@code tokens} tokens. */
    public DecodeOptions withMaxLength(int tokens) {
        return new DecodeOptions(beam, nBest, lengthPenalty, alpha, tokens, maxLengthRatio, replaceUnknown);
    }

    /** These options with or without OpenNMT-py's unknown-word replacement (attention models only). */
    public DecodeOptions withReplaceUnknown(boolean replace) {
        return new DecodeOptions(beam, nBest, lengthPenalty, alpha, maxLength, maxLengthRatio, replace);
    }

    /** Greedy decoding up to {@code maxLength} tokens: the seed's decoder. */
    public static DecodeOptions greedy(int maxLength) {
        return new DecodeOptions(1, 1, LengthPenalty.NONE, 0, maxLength, 0);
    }

    /** The longest output allowed for a source of {@code sourceLength} tokens. */
    public int limitFor(int sourceLength) {
        if (maxLengthRatio <= 0) {
            return maxLength;
        }
        return (int) Math.max(1, Math.min(maxLength, Math.ceil(maxLengthRatio * sourceLength)));
    }
}
