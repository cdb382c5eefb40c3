package dev.seq2seq.translator.decode;

import java.util.Locale;

/**
 * How a finished hypothesis's total log-probability is normalised for length before hypotheses
 * of different lengths are compared (the names and formulas of OpenNMT-py's
 * {@code -length_penalty}). Log-probabilities only fall as a sentence grows, so without a penalty
 * a beam favours short outputs.
 *
 * <pre>
 *   none: score = log p
 *   avg:  score = log p / length
 *   wu:   score = log p / lp(length),  lp(l) = ((5 + l) / 6)^alpha   (Wu et al., 2016, eq. 14)
 * </pre>
 *
 * The length counts the output's tokens and the end marker when the hypothesis ended with one.
 */
public enum LengthPenalty {
    NONE, AVG, WU;

    /** The normalised score of a hypothesis of {@code length} tokens and total log-probability {@code logProbability}. */
    public double score(double logProbability, int length, double alpha) {
        return logProbability / divisor(length, alpha);
    }

    /**
     * The highest score any continuation of a live hypothesis can reach when outputs are at most
     * {@code maxLength} tokens: its log-probability can only fall (it is &lt;= 0), and the divisor
     * grows with length, so dividing today's log-probability by the largest divisor bounds it.
     */
    double bound(double logProbability, int maxLength, double alpha) {
        return logProbability / divisor(maxLength, alpha);
    }

    private double divisor(int length, double alpha) {
        return switch (this) {
            case NONE -> 1;
            case AVG -> Math.max(1, length);
            case WU -> Math.pow((5.0 + length) / 6.0, alpha);
        };
    }

    /** Its name on the command line: none, avg or wu. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
