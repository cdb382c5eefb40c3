package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
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

    /**
     * A step's rows that are padding keep the state they had, as the sequence op carries it: for
     * each row b not real at step t, units [firstUnit, firstUnit + width) of every state tensor
     * ([B, H] each) copied from {@code from} into {@code to}, the step's new state.
     */
    static void carryPaddedRows(int[] lengths, int t, RecurrentState from, RecurrentState to, int firstUnit,
                                int width) {
        Tensor[] previous = from.tensors();
        Tensor[] next = to.tensors();
        for (int b = 0; b < from.batchSize(); b++) {
            if (!real(lengths, b, t)) {
                for (int i = 0; i < previous.length; i++) {
                    int row = b * previous[i].dim(1) + firstUnit;
                    System.arraycopy(previous[i].data(), previous[i].offset() + row, next[i].data(),
                            next[i].offset() + row, width);
                }
            }
        }
    }
}
