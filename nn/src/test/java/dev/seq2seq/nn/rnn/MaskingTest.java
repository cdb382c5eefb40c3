package dev.seq2seq.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.Tape;
import org.junit.jupiter.api.Test;

/**
 * Padding done on purpose: in a padded batch, a row of true length L ends in the state it would
 * have after L steps alone, its padded outputs are zero, and its padded inputs get no gradient.
 */
class MaskingTest {
    static final int STEPS = 5;
    static final int INPUTS = 3;
    static final int UNITS = 4;

    @Test
    void aPaddedRowEndsWhereItsShortSequenceEnds() {
        LSTM lstm = new LSTM("lstm", INPUTS, UNITS, 21);
        int[] lengths = {5, 2, 0};
        Tensor x = Tensor.uniform(22, -1, 1, STEPS, 3, INPUTS).requireGrad();
        Tape tape = new Tape();
        SequenceResult<LSTMState> padded;
        try (Tape.Scope ignored = tape.activate()) {
            padded = lstm.forward(x, lengths, null);
            tape.backward(MatrixOps.sum(MatrixOps.add(padded.state().h(), padded.state().c())));
        }
        for (int b = 0; b < 3; b++) {
            int length = lengths[b];
            float[] expectedH = new float[UNITS];
            float[] expectedC = new float[UNITS];
            if (length > 0) {
                Tensor alone = Tensor.zeros(length, 1, INPUTS);
                for (int t = 0; t < length; t++) {
                    for (int i = 0; i < INPUTS; i++) {
                        alone.set(x.get(t, b, i), t, 0, i);
                    }
                }
                LSTMState state = lstm.forward(alone, null, null).state();
                expectedH = state.h().toArray();
                expectedC = state.c().toArray();
            }
            assertArrayEquals(expectedH, padded.state().h().row(b).toArray(), 1e-6f, "final h of row " + b);
            assertArrayEquals(expectedC, padded.state().c().row(b).toArray(), 1e-6f, "final c of row " + b);
            for (int t = 0; t < STEPS; t++) {
                boolean real = t < length;
                float outputNorm = 0;
                float gradientNorm = 0;
                for (int j = 0; j < UNITS; j++) {
                    outputNorm += Math.abs(padded.outputs().get(t, b, j));
                }
                for (int i = 0; i < INPUTS; i++) {
                    gradientNorm += Math.abs(x.grad().get(t, b, i));
                }
                assertEquals(real, outputNorm > 0, "output of row " + b + " at step " + t);
                assertEquals(real, gradientNorm > 0, "input gradient of row " + b + " at step " + t);
            }
        }
    }

    @Test
    void lastOutputIsEachRowsOutputAtItsTrueEnd() {
        GRU gru = new GRU("gru", INPUTS, UNITS, 23);
        int[] lengths = {3, 5};
        SequenceResult<GRUState> result = gru.forward(Tensor.uniform(24, -1, 1, STEPS, 2, INPUTS), lengths, null);
        for (int b = 0; b < 2; b++) {
            assertArrayEquals(result.outputs().row(lengths[b] - 1).row(b).toArray(), result.lastOutput().row(b).toArray());
        }
    }

    @Test
    void impossibleLengthsAreRefusedWithTheirRow() {
        LSTM lstm = new LSTM("lstm", INPUTS, UNITS, 25);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lstm.forward(Tensor.zeros(STEPS, 2, INPUTS), new int[] {2, 6}, null));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(STEPS, 2, 4), null, null));
        assertTrue(e.getMessage().contains("[5, 2, 4]"), e.getMessage());
    }
}
