package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Shapes;
import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.engine.kernels.Transpose;

/**
 * The GRU recurrence over a whole sequence as one fused, differentiable op (see {@link GRUCell}
 * for the math and {@link LSTMRecurrence} for the layout and padding rules, which are the same).
 * Results packed as [T + 1, B, H]: outputs, then the final h.
 */
final class GRURecurrence {
    private GRURecurrence() {
    }

    /** xz [T, B, 3H] (input projection plus input bias), U [H, 3H], recurrent bias [3H], h0 [B, H]. */
    static SequenceResult<GRUState> run(Tensor xz, Tensor recurrentKernel, Tensor recurrentBias, Tensor h0,
                                        int[] lengths) {
        if (xz.rank() != 3) {
            throw new IllegalArgumentException("GRU: input projection must be [T, B, 3H], got " + xz.describe());
        }
        int steps = xz.dim(0);
        int batch = xz.dim(1);
        int gates = xz.dim(2);
        int units = gates / 3;
        Shapes.checkShape("GRU recurrent kernel", recurrentKernel, units, gates);
        Shapes.checkShape("GRU recurrent bias", recurrentBias, gates);
        Shapes.checkShape("GRU initial h", h0, batch, units);
        int[] lens = SequenceLengths.check("GRU", lengths, steps, batch);
        Kernels k = Backend.kernels();
        int stateSize = batch * units;

        float[] act = xz.toArray();
        float[] hz = new float[steps * batch * gates];
        float[] hs = new float[(steps + 1) * stateSize];
        System.arraycopy(h0.data(), h0.offset(), hs, 0, stateSize);
        Tensor packed = Tensor.zeros(steps + 1, batch, units);
        float[] out = packed.data();

        for (int t = 0; t < steps; t++) {
            int zt = t * batch * gates;
            int prev = t * stateSize;
            int next = prev + stateSize;
            for (int b = 0; b < batch; b++) {
                System.arraycopy(recurrentBias.data(), recurrentBias.offset(), hz, zt + b * gates, gates);
            }
            k.matmul(hs, prev, recurrentKernel.data(), recurrentKernel.offset(), hz, zt, batch, units, gates, true);
            GRUCell.forward(k, batch, units, act, zt, hz, zt, hs, prev, hs, next);
            for (int b = 0; b < batch; b++) {
                int row = b * units;
                if (SequenceLengths.real(lens, b, t)) {
                    System.arraycopy(hs, next + row, out, prev + row, units);
                } else {
                    System.arraycopy(hs, prev + row, hs, next + row, units);
                }
            }
        }
        System.arraycopy(hs, steps * stateSize, out, steps * stateSize, stateSize);

        if (Tape.recording(xz, recurrentKernel, recurrentBias, h0)) {
            Tape.record("GRU", packed, () -> backward(k, packed, xz, recurrentKernel, recurrentBias, h0, lens,
                    act, hz, hs, steps, batch, units), xz, recurrentKernel, recurrentBias, h0);
        }
        Tensor finalH = packed.row(steps);
        return new SequenceResult<>(packed.rows(0, steps), finalH, new GRUState(finalH));
    }

    private static void backward(Kernels k, Tensor packed, Tensor xz, Tensor recurrentKernel, Tensor recurrentBias,
                                 Tensor h0, int[] lens, float[] act, float[] hz, float[] hs,
                                 int steps, int batch, int units) {
        int gates = 3 * units;
        int stateSize = batch * units;
        float[] dPacked = packed.gradData();
        float[] dh = java.util.Arrays.copyOfRange(dPacked, steps * stateSize, (steps + 1) * stateSize);
        float[] dhPrev = new float[stateSize];
        float[] dxz = new float[steps * batch * gates];
        float[] dhz = new float[steps * batch * gates];
        // U^T [3H, H], once: every step multiplies by it.
        float[] uTransposed = new float[gates * units];
        Transpose.blocked(recurrentKernel.data(), recurrentKernel.offset(), gates, units, gates, uTransposed, 0);

        for (int t = steps - 1; t >= 0; t--) {
            int zt = t * batch * gates;
            int prev = t * stateSize;
            for (int b = 0; b < batch; b++) {
                int row = b * units;
                if (SequenceLengths.real(lens, b, t)) {
                    k.axpy(1f, dPacked, prev + row, dh, row, units);
                    GRUCell.backwardRow(units, act, zt + b * gates, hz, zt + b * gates, hs, prev + row, dh, row,
                            dxz, zt + b * gates, dhz, zt + b * gates, dhPrev, row);
                } else {
                    System.arraycopy(dh, row, dhPrev, row, units);
                }
            }
            // dh_{t-1} += d hz_t . U^T
            k.matmul(dhz, zt, uTransposed, 0, dhPrev, 0, batch, gates, units, true);
            float[] swap = dh;
            dh = dhPrev;
            dhPrev = swap;
        }
        if (xz.requiresGrad()) {
            k.axpy(1f, dxz, 0, xz.gradData(), xz.offset(), dxz.length);
        }
        if (recurrentKernel.requiresGrad()) {
            k.matmulTransA(hs, 0, dhz, 0, recurrentKernel.gradData(), recurrentKernel.offset(),
                    units, steps * batch, gates, true);
        }
        if (recurrentBias.requiresGrad()) {
            k.sumRows(dhz, 0, recurrentBias.gradData(), recurrentBias.offset(), steps * batch, gates, true);
        }
        if (h0.requiresGrad()) {
            k.axpy(1f, dh, 0, h0.gradData(), h0.offset(), stateSize);
        }
    }
}
