package dev.seq2seq.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.ShapeOps;
import dev.seq2seq.engine.autograd.Tape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fused recurrences (hand-written backward) against the cells composed from engine ops
 * (backward derived by the tape): same outputs, same gradients for every weight, input and
 * initial state. A batch of 3 runs as one group of rows; a batch of 40 is cut into one group per
 * core, each running the whole sequence on its own.
 */
class FusedVsReferenceTest {
    static final int STEPS = 5;
    static final int INPUTS = 6;
    static final int UNITS = 8;
    static final float TOLERANCE = 1e-5f;

    /** Runs {@code forward} on a fresh tape, backward from sum(out * projection); returns out and every gradient. */
    private static List<float[]> valuesAndGradients(Supplier<Tensor> forward, List<Tensor> inputs) {
        for (Tensor input : inputs) {
            input.zeroGrad();
        }
        Tape tape = new Tape();
        List<float[]> collected = new ArrayList<>();
        try (Tape.Scope ignored = tape.activate()) {
            Tensor out = forward.get();
            Tensor projection = Tensor.uniform(99, -1, 1, out.shape());
            tape.backward(MatrixOps.sum(MatrixOps.mul(out, projection)));
            collected.add(out.toArray());
        }
        for (Tensor input : inputs) {
            collected.add(input.grad().toArray());
        }
        return collected;
    }

    private static void assertSame(List<float[]> fused, List<float[]> reference, String... names) {
        for (int i = 0; i < fused.size(); i++) {
            for (int j = 0; j < fused.get(i).length; j++) {
                assertEquals(reference.get(i)[j], fused.get(i)[j], TOLERANCE,
                        names[i] + " element " + j + ": fused vs composed");
            }
        }
    }

    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {3, 40})
    void lstmFusedEqualsComposed(int batch) {
        LSTM lstm = new LSTM("lstm", INPUTS, UNITS, 3);
        lstm.bias().copyFrom(Tensor.uniform(1, -0.5f, 0.5f, 4 * UNITS));
        Tensor x = Tensor.uniform(2, -1, 1, STEPS, batch, INPUTS).requireGrad();
        Tensor h0 = Tensor.uniform(3, -1, 1, batch, UNITS).requireGrad();
        Tensor c0 = Tensor.uniform(4, -1, 1, batch, UNITS).requireGrad();
        List<Tensor> inputs = List.of(x, h0, c0, lstm.kernel(), lstm.recurrentKernel(), lstm.bias());

        List<float[]> fused = valuesAndGradients(() -> {
            SequenceResult<LSTMState> result = lstm.forward(x, null, new LSTMState(h0, c0));
            return ShapeOps.concatColumns(result.outputs().view(STEPS * batch, UNITS).view(batch, STEPS * UNITS),
                    result.state().c());
        }, inputs);
        List<float[]> composed = valuesAndGradients(() -> {
            LSTMState state = new LSTMState(h0, c0);
            Tensor[] outputs = new Tensor[STEPS];
            for (int t = 0; t < STEPS; t++) {
                state = LSTMReferenceCell.step(x.row(t), state, lstm.kernel(), lstm.recurrentKernel(), lstm.bias());
                outputs[t] = state.h();
            }
            // the same layout as the fused outputs [T, B, H], seen as [B, T*H]
            Tensor stacked = ShapeOps.concatColumns(outputs).view(batch, STEPS * UNITS);
            return ShapeOps.concatColumns(reorder(stacked, batch), state.c());
        }, inputs);
        assertSame(fused, composed, "outputs", "dx", "dh0", "dc0", "dkernel", "drecurrent", "dbias");
    }

    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {3, 40})
    void gruFusedEqualsComposed(int batch) {
        GRU gru = new GRU("gru", INPUTS, UNITS, 4);
        gru.bias().copyFrom(Tensor.uniform(5, -0.5f, 0.5f, 2, 3 * UNITS));
        Tensor x = Tensor.uniform(6, -1, 1, STEPS, batch, INPUTS).requireGrad();
        Tensor h0 = Tensor.uniform(7, -1, 1, batch, UNITS).requireGrad();
        List<Tensor> inputs = List.of(x, h0, gru.kernel(), gru.recurrentKernel(), gru.bias());

        List<float[]> fused = valuesAndGradients(() -> {
            SequenceResult<GRUState> result = gru.forward(x, null, new GRUState(h0));
            return result.outputs().view(STEPS * batch, UNITS).view(batch, STEPS * UNITS);
        }, inputs);
        List<float[]> composed = valuesAndGradients(() -> {
            GRUState state = new GRUState(h0);
            Tensor[] outputs = new Tensor[STEPS];
            for (int t = 0; t < STEPS; t++) {
                state = GRUReferenceCell.step(x.row(t), state, gru.kernel(), gru.recurrentKernel(), gru.bias());
                outputs[t] = state.h();
            }
            return reorder(ShapeOps.concatColumns(outputs).view(batch, STEPS * UNITS), batch);
        }, inputs);
        assertSame(fused, composed, "outputs", "dx", "dh0", "dkernel", "drecurrent", "dbias");
    }

    /**
     * concatColumns of per-step [B, H] outputs gives [B, T*H] in (b, t, j) order; the fused
     * outputs [T, B, H] viewed as [B, T*H] are in (t, b, j) order. This differentiable copy puts
     * the composed outputs in the fused order.
     */
    private static Tensor reorder(Tensor byRow, int batch) {
        Tensor[] rows = new Tensor[STEPS * batch];
        for (int t = 0; t < STEPS; t++) {
            for (int b = 0; b < batch; b++) {
                rows[t * batch + b] = ShapeOps.sliceColumns(byRow.rows(b, b + 1), t * UNITS, (t + 1) * UNITS);
            }
        }
        return ShapeOps.concatColumns(rows).view(batch, STEPS * UNITS);
    }
}
