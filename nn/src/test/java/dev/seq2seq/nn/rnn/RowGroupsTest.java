package dev.seq2seq.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.Tape;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What the row groups and their hand-overs rely on: a row's outputs, final state and gradients are
 * the same bits whichever rows it runs with. A batch of 64 rows (two groups of 32 on two cores, of
 * which a core done early takes over half of the other's rows at a step that depends on timing)
 * against the same rows as four batches of 16 (one group each), forward and backward, run several
 * times; the rows have different lengths, so padded rows are carried too.
 */
class RowGroupsTest {
    private static final int STEPS = 30;
    private static final int BATCH = 64;
    private static final int PIECE = 16;
    private static final int INPUTS = 9;
    private static final int UNITS = 40;

    /** Per-row results of one run: outputs, each state tensor, and the gradients of x and of each initial state tensor. */
    private record Rows(float[] outputs, List<float[]> states, float[] inputGradient, List<float[]> stateGradients) {
    }

    /** Lengths in no order: padded rows among real ones in every group. */
    private static int[] mixedLengths() {
        int[] lengths = new int[BATCH];
        for (int b = 0; b < BATCH; b++) {
            lengths[b] = 1 + (b * 7) % STEPS;
        }
        return lengths;
    }

    /**
     * Lengths in ascending order, as masked padding's batches have them: a step computes only the
     * rows from its group's first real row on, fewer and fewer, and a group of short rows none at
     * all near the end (then its core takes over rows of the other).
     */
    private static int[] ascendingLengths() {
        int[] lengths = new int[BATCH];
        for (int b = 0; b < BATCH; b++) {
            lengths[b] = 1 + b * STEPS / BATCH;
        }
        return lengths;
    }

    /** Rows [from, to) of a time-major [T, B, width] array, as [T, to - from, width]. */
    private static float[] rowsOf(float[] timeMajor, int batch, int width, int from, int to) {
        int rows = to - from;
        float[] out = new float[STEPS * rows * width];
        for (int t = 0; t < STEPS; t++) {
            System.arraycopy(timeMajor, (t * batch + from) * width, out, t * rows * width, rows * width);
        }
        return out;
    }

    private static <S extends RecurrentState> Rows run(GatedRecurrentLayer<S> layer, Function<Tensor[], S> stateOf,
                                                       float[] x, float[][] initial, int[] lengths,
                                                       float[] outputWeights, int from, int to) {
        int rows = to - from;
        Tensor input = Tensor.of(rowsOf(x, BATCH, INPUTS, from, to), STEPS, rows, INPUTS).requireGrad();
        Tensor[] start = new Tensor[initial.length];
        for (int i = 0; i < initial.length; i++) {
            start[i] = Tensor.of(Arrays.copyOfRange(initial[i], from * UNITS, to * UNITS), rows, UNITS).requireGrad();
        }
        S initialState = stateOf.apply(start);
        Tape tape = new Tape();
        try (Tape.Scope ignored = tape.activate()) {
            SequenceResult<S> result = layer.forward(input, Arrays.copyOfRange(lengths, from, to), initialState);
            Tensor weights = Tensor.of(rowsOf(outputWeights, BATCH, UNITS, from, to), STEPS, rows, UNITS);
            Tensor loss = MatrixOps.sum(MatrixOps.mul(result.outputs(), weights));
            Tensor[] finalState = result.state().tensors();
            for (Tensor state : finalState) {
                loss = MatrixOps.add(loss, MatrixOps.sum(MatrixOps.mul(state, state)));
            }
            tape.backward(loss);
            return new Rows(result.outputs().toArray(),
                    Arrays.stream(finalState).map(Tensor::toArray).toList(),
                    input.grad().toArray(),
                    Arrays.stream(start).map(s -> s.grad().toArray()).toList());
        }
    }

    private static <S extends RecurrentState> void assertRowsIndependentOfTheirGroup(GatedRecurrentLayer<S> layer,
                                                                                     Function<Tensor[], S> stateOf) {
        assertRowsIndependentOfTheirGroup(layer, stateOf, mixedLengths());
        assertRowsIndependentOfTheirGroup(layer, stateOf, ascendingLengths());
    }

    private static <S extends RecurrentState> void assertRowsIndependentOfTheirGroup(GatedRecurrentLayer<S> layer,
                                                                                     Function<Tensor[], S> stateOf,
                                                                                     int[] lengths) {
        float[] x = Tensor.uniform(51, -1, 1, STEPS, BATCH, INPUTS).toArray();
        float[] outputWeights = Tensor.uniform(52, -1, 1, STEPS, BATCH, UNITS).toArray();
        float[][] initial = new float[layer.zeroState(1).tensors().length][];
        for (int i = 0; i < initial.length; i++) {
            initial[i] = Tensor.uniform(53 + i, -1, 1, BATCH, UNITS).toArray();
        }
        Rows[] pieces = new Rows[BATCH / PIECE];
        for (int p = 0; p < pieces.length; p++) {
            pieces[p] = run(layer, stateOf, x, initial, lengths, outputWeights, p * PIECE, (p + 1) * PIECE);
        }
        for (int round = 0; round < 5; round++) {
            Rows whole = run(layer, stateOf, x, initial, lengths, outputWeights, 0, BATCH);
            for (int p = 0; p < pieces.length; p++) {
                String where = layer.name() + ", lengths " + lengths[0] + ", " + lengths[1] + "..., rows " + p * PIECE
                        + "-" + ((p + 1) * PIECE - 1) + ", round " + round;
                int from = p * PIECE;
                int to = from + PIECE;
                assertArrayEquals(pieces[p].outputs, rowsOf(whole.outputs, BATCH, UNITS, from, to), where + ": outputs");
                assertArrayEquals(pieces[p].inputGradient, rowsOf(whole.inputGradient, BATCH, INPUTS, from, to),
                        where + ": gradient of x");
                for (int i = 0; i < initial.length; i++) {
                    assertArrayEquals(pieces[p].states.get(i),
                            Arrays.copyOfRange(whole.states.get(i), from * UNITS, to * UNITS), where + ": state " + i);
                    assertArrayEquals(pieces[p].stateGradients.get(i),
                            Arrays.copyOfRange(whole.stateGradients.get(i), from * UNITS, to * UNITS),
                            where + ": gradient of initial state " + i);
                }
            }
        }
    }

    @Test
    void anLstmRowGivesTheSameBitsInAnyGroup() {
        assertRowsIndependentOfTheirGroup(new LSTM("lstm", INPUTS, UNITS, 50), s -> new LSTMState(s[0], s[1]));
    }

    @Test
    void aGruRowGivesTheSameBitsInAnyGroup() {
        GRU gru = new GRU("gru", INPUTS, UNITS, 60);
        gru.bias().copyFrom(Tensor.uniform(61, -0.5f, 0.5f, 2, 3 * UNITS));
        assertRowsIndependentOfTheirGroup(gru, s -> new GRUState(s[0]));
    }

    /** dU's product runs over these rows (t * B + b, ascending) when some position is padding. */
    @Test
    void realPositionsListEveryRealRowInTheOrderOfTheSums() {
        // B = 3, T = 4: row 0 real for 4 steps, row 1 for 1, row 2 for none
        assertArrayEquals(new int[] {0, 1, 3, 6, 9}, RowGroups.realPositions(new int[] {4, 1, 0}, 4, 3));
        assertNull(RowGroups.realPositions(new int[] {4, 4, 4}, 4, 3), "no padding: the plain product");
        assertNull(RowGroups.realPositions(null, 4, 3), "no lengths: the plain product");
        assertArrayEquals(new int[0], RowGroups.realPositions(new int[] {0, 0}, 2, 2));
    }
}
