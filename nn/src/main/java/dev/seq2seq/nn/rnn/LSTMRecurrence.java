package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Shapes;
import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.engine.kernels.Transpose;

/**
 * The LSTM recurrence over a whole sequence as one fused, differentiable op, with backpropagation
 * through time written by hand. The input projection xw = x W + b is computed before (one big
 * product for all steps, by ordinary ops), so this op only does what must be sequential:
 *
 * <pre>
 *   for t in 0 .. T-1:   z_t = xw_t + h_{t-1} U ;  (h_t, c_t) = cell(z_t, c_{t-1})   (see LSTMCell)
 * </pre>
 *
 * Padding: at a step t >= lengths[b], row b keeps its state (h_t = h_{t-1}, c_t = c_{t-1}), its
 * output is zero, and in backward its gradient passes through unchanged and nothing reaches the
 * weights. So the final state of every row is its state at its true last step.
 *
 * <p>The op has three results, packed into one tensor [T + 2, B, H] (outputs, final h, final c)
 * and handed out as views: whatever reaches any of them lands in the packed gradient.
 */
final class LSTMRecurrence {
    private LSTMRecurrence() {
    }

    /**
     * xw [T, B, 4H] (input projection plus bias), recurrent kernel U [H, 4H], initial h0 and c0
     * [B, H], lengths [B] or null.
     */
    static SequenceResult<LSTMState> run(Tensor xw, Tensor recurrentKernel, Tensor h0, Tensor c0, int[] lengths) {
        if (xw.rank() != 3) {
            throw new IllegalArgumentException("LSTM: input projection must be [T, B, 4H], got " + xw.describe());
        }
        int steps = xw.dim(0);
        int batch = xw.dim(1);
        int gates = xw.dim(2);
        int units = gates / 4;
        Shapes.checkShape("LSTM recurrent kernel", recurrentKernel, units, gates);
        Shapes.checkShape("LSTM initial h", h0, batch, units);
        Shapes.checkShape("LSTM initial c", c0, batch, units);
        int[] lens = SequenceLengths.check("LSTM", lengths, steps, batch);
        Kernels k = Backend.kernels();
        float[] u = recurrentKernel.data();
        int uOff = recurrentKernel.offset();
        int stateSize = batch * units;

        // Saved for backward: activations [T, B, 4H], h and c for t = 0..T ([T+1, B, H]), tanh(c_t).
        float[] act = xw.toArray();
        float[] hs = new float[(steps + 1) * stateSize];
        float[] cs = new float[(steps + 1) * stateSize];
        float[] tanhC = new float[steps * stateSize];
        System.arraycopy(h0.data(), h0.offset(), hs, 0, stateSize);
        System.arraycopy(c0.data(), c0.offset(), cs, 0, stateSize);
        Tensor packed = Tensor.zeros(steps + 2, batch, units);
        float[] out = packed.data();

        for (int t = 0; t < steps; t++) {
            int zt = t * batch * gates;
            int prev = t * stateSize;
            int next = prev + stateSize;
            k.matmul(hs, prev, u, uOff, act, zt, batch, units, gates, true); // z_t = xw_t + h_{t-1} U
            LSTMCell.forward(k, batch, units, act, zt, cs, prev, cs, next, tanhC, prev, hs, next);
            for (int b = 0; b < batch; b++) {
                int row = b * units;
                if (SequenceLengths.real(lens, b, t)) {
                    System.arraycopy(hs, next + row, out, prev + row, units);
                } else {
                    System.arraycopy(hs, prev + row, hs, next + row, units);
                    System.arraycopy(cs, prev + row, cs, next + row, units);
                }
            }
        }
        System.arraycopy(hs, steps * stateSize, out, steps * stateSize, stateSize);
        System.arraycopy(cs, steps * stateSize, out, (steps + 1) * stateSize, stateSize);

        if (Tape.recording(xw, recurrentKernel, h0, c0)) {
            Tape.record("LSTM", packed, () -> backward(k, packed, xw, recurrentKernel, h0, c0, lens,
                    act, hs, cs, tanhC, steps, batch, units), xw, recurrentKernel, h0, c0);
        }
        Tensor finalH = packed.row(steps);
        return new SequenceResult<>(packed.rows(0, steps), finalH, new LSTMState(finalH, packed.row(steps + 1)));
    }

    private static void backward(Kernels k, Tensor packed, Tensor xw, Tensor recurrentKernel, Tensor h0, Tensor c0,
                                 int[] lens, float[] act, float[] hs, float[] cs, float[] tanhC,
                                 int steps, int batch, int units) {
        int gates = 4 * units;
        int stateSize = batch * units;
        float[] dPacked = packed.gradData();
        float[] dh = java.util.Arrays.copyOfRange(dPacked, steps * stateSize, (steps + 1) * stateSize);
        float[] dc = java.util.Arrays.copyOfRange(dPacked, (steps + 1) * stateSize, (steps + 2) * stateSize);
        float[] dhPrev = new float[stateSize];
        float[] dcPrev = new float[stateSize];
        float[] dz = new float[steps * batch * gates];
        // U^T [4H, H], once: every step multiplies by it.
        float[] uTransposed = new float[gates * units];
        Transpose.blocked(recurrentKernel.data(), recurrentKernel.offset(), gates, units, gates, uTransposed, 0);

        for (int t = steps - 1; t >= 0; t--) {
            int zt = t * batch * gates;
            int prev = t * stateSize;
            for (int b = 0; b < batch; b++) {
                int row = b * units;
                if (SequenceLengths.real(lens, b, t)) {
                    k.axpy(1f, dPacked, prev + row, dh, row, units); // the output h_t is used downstream too
                    LSTMCell.backwardRow(units, act, zt + b * gates, cs, prev + row, tanhC, prev + row,
                            dh, row, dc, row, dz, zt + b * gates, dcPrev, row);
                    java.util.Arrays.fill(dhPrev, row, row + units, 0f);
                } else {
                    System.arraycopy(dh, row, dhPrev, row, units); // padding: the state passed through
                    System.arraycopy(dc, row, dcPrev, row, units);
                }
            }
            // dh_{t-1} += dz_t . U^T
            k.matmul(dz, zt, uTransposed, 0, dhPrev, 0, batch, gates, units, true);
            float[] swap = dh;
            dh = dhPrev;
            dhPrev = swap;
            swap = dc;
            dc = dcPrev;
            dcPrev = swap;
        }
        if (xw.requiresGrad()) {
            k.axpy(1f, dz, 0, xw.gradData(), xw.offset(), dz.length);
        }
        if (recurrentKernel.requiresGrad()) {
            // dU += sum_t h_{t-1}^T dz_t, as one product over all steps: [H, T*B] . [T*B, 4H]
            k.matmulTransA(hs, 0, dz, 0, recurrentKernel.gradData(), recurrentKernel.offset(),
                    units, steps * batch, gates, true);
        }
        if (h0.requiresGrad()) {
            k.axpy(1f, dh, 0, h0.gradData(), h0.offset(), stateSize);
        }
        if (c0.requiresGrad()) {
            k.axpy(1f, dc, 0, c0.gradData(), c0.offset(), stateSize);
        }
    }
}
