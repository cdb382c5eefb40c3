package dev.seq2seq.nn.rnn;

import static dev.seq2seq.engine.GradCheck.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.ShapeOps;
import dev.seq2seq.engine.autograd.Tape;
import org.junit.jupiter.api.Test;

/**
 * The bidirectional wrapper: its backward direction is the layer run on each row reversed within
 * its length, its outputs are in source order, and its gradients match central differences with
 * padded rows, T = 1 and batch 1.
 */
class BidirectionalTest {
    private static final int INPUTS = 3;
    private static final int UNITS = 2;

    @Test
    void theBackwardDirectionReadsEachRowFromItsLastRealToken() {
        LSTM forward = new LSTM("f", INPUTS, UNITS, 1);
        LSTM backward = new LSTM("b", INPUTS, UNITS, 2);
        Bidirectional<LSTMState> bidirectional = new Bidirectional<>(forward, backward);
        int steps = 4;
        int[] lengths = {4, 2};
        Tensor x = Tensor.uniform(3, -1, 1, steps, 2, INPUTS);
        try (Tape.Scope ignored = Tape.pause()) {
            Bidirectional.Result<LSTMState> result = bidirectional.forward(x, lengths);
            for (int b = 0; b < 2; b++) {
                // row b alone, reversed by hand, through the backward layer
                int length = lengths[b];
                float[] reversedRow = new float[length * INPUTS];
                for (int t = 0; t < length; t++) {
                    System.arraycopy(x.toArray(), ((length - 1 - t) * 2 + b) * INPUTS, reversedRow, t * INPUTS, INPUTS);
                }
                SequenceResult<LSTMState> alone = backward.forward(Tensor.of(reversedRow, length, 1, INPUTS), null, null);
                assertArrayEquals(alone.state().h().toArray(), result.backwardState().h().row(b).toArray(), 1e-6f,
                        "row " + b + "'s backward state is taken after its first token");
                for (int s = 0; s < length; s++) {
                    // the backward output at source position s is the one after reading x_{len-1} .. x_s
                    float[] expected = alone.outputs().view(length, UNITS).row(length - 1 - s).toArray();
                    float[] actual = new float[UNITS];
                    System.arraycopy(result.outputs().toArray(), (s * 2 + b) * 2 * UNITS + UNITS, actual, 0, UNITS);
                    assertArrayEquals(expected, actual, 1e-6f, "row " + b + ", position " + s);
                }
            }
        }
        assertEquals(4, bidirectional.units());
    }

    @Test
    void gradientsMatchCentralDifferences() {
        GRU forward = new GRU("f", INPUTS, UNITS, 4);
        GRU backward = new GRU("b", INPUTS, UNITS, 5);
        Bidirectional<GRUState> bidirectional = new Bidirectional<>(forward, backward);
        Tensor x = Tensor.uniform(6, -1, 1, 3, 3, INPUTS).requireGrad();
        int[] lengths = {3, 1, 2};
        Tensor[] inputs = {x, forward.kernel(), forward.recurrentKernel(), forward.bias(), backward.kernel(),
            backward.recurrentKernel(), backward.bias()};
        check("bidirectional outputs, padded rows", () -> bidirectional.forward(x, lengths).outputs(), inputs);
        check("bidirectional final states", () -> {
            Bidirectional.Result<GRUState> result = bidirectional.forward(x, lengths);
            return ShapeOps.concatColumns(result.forwardState().h(), result.backwardState().h());
        }, inputs);
        Tensor single = Tensor.uniform(7, -1, 1, 1, 1, INPUTS).requireGrad();
        check("bidirectional, T = 1, batch 1", () -> MatrixOps.scale(bidirectional.forward(single, null).outputs(), 2f),
                single, backward.kernel());
        int[] tokens = {0, 2, 1, 1, 0, 2};
        check("bidirectional tokens", () -> bidirectional.forwardTokens(tokens, 3, new int[] {3, 2}).outputs(),
                forward.kernel(), backward.kernel(), backward.recurrentKernel());
    }

    @Test
    void theReversalIsItsOwnInverseAndKeepsPaddingInPlace() {
        int[] rows = Bidirectional.reversal(3, 2, new int[] {3, 1});
        assertArrayEquals(new int[] {4, 1, 2, 3, 0, 5}, rows);
        for (int i = 0; i < rows.length; i++) {
            assertEquals(i, rows[rows[i]]);
        }
    }
}
