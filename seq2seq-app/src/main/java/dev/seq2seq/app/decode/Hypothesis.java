package dev.seq2seq.app.decode;

/**
 * One output of the decoder: its tokens (without start and end markers), its score (the total
 * log-probability after the length penalty: what hypotheses are ranked by), and the total
 * log-probability itself.
 */
public record Hypothesis(int[] tokens, double score, double logProbability) {
}
