package dev.seq2seq.nn.rnn;

import java.util.Arrays;

/**
 * The true length of each row of a padded batch: row b is real at steps t < lengths[b] and
 * padding after. Null lengths mean every row is real at every step.
 */
final class SequenceLengths {
    private SequenceLengths() {
    }

    static int[] check(String layer, int[] lengths, int steps, int batch) {
        if (lengths == null) {
            return null;
        }
        if (lengths.length != batch) {
            throw new IllegalArgumentException(layer + ": " + lengths.length + " lengths for a batch of " + batch);
        }
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < 0 || lengths[b] > steps) {
                throw new IllegalArgumentException(layer + ": length " + lengths[b] + " of row " + b
                        + " is outside [0, " + steps + "] steps");
            }
        }
        return Arrays.copyOf(lengths, batch);
    }

    static boolean real(int[] lengths, int b, int t) {
        return lengths == null || t < lengths[b];
    }
}
