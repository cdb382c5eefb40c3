package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Shapes;
import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.engine.kernels.ParallelKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The GRU recurrence over a whole sequence as one fused, differentiable op, with backpropagation
 * through time written by hand (see {@link GRUCell} for the math, and {@link LSTMRecurrence} for
 * the same layout with a second state). The input projection xz = x W + b_in is computed before:
 *
 * <pre>
 *   for t in 0 .. T-1:   hz_t = h_{t-1} U + b_rec ;  h_t = cell(xz_t, hz_t, h_{t-1})   (see GRUCell)
 * </pre>
 *
 * Padding (a row past its end keeps h) and the row groups, one per core, are {@link RowGroups}'s.
 * Results packed as [T + 1, B, H]: outputs, then the final h.
 */
final class GRURecurrence {
    private GRURecurrence() {
    }

    /**
     * Kept for backward, time-major: act [T, B, 3H] = [z | r | n], hz [T, B, 3H], hs [T+1, B, H].
     * Backward turns act and hz into their gradients, so it can run once. A forward that no
     * backward follows keeps one step instead ({@code everyStep} false): act and hz [B, 3H], hs
     * [2, B, H] (h_{t-1} and h_t in turn).
     */
    private record Saved(float[] act, float[] hz, float[] hs, int steps, int batch, int units, boolean everyStep) {
        static Saved forBackward(Projection projection, int steps, int batch, int units) {
            // hz and hs: every element is written before it is read, so recycled arrays serve
            return new Saved(projection.activations(), RecurrenceBuffers.take(steps * batch * 3 * units),
                    RecurrenceBuffers.take((steps + 1) * batch * units), steps, batch, units, true);
        }

        static Saved forOneStep(int steps, int batch, int units) {
            return new Saved(RecurrenceBuffers.take(batch * 3 * units), RecurrenceBuffers.take(batch * 3 * units),
                    RecurrenceBuffers.take(2 * batch * units), steps, batch, units, false);
        }

        /** Where row b's gates (in act) and recurrent products (in hz) of step t are. */
        int gatesAt(int t, int b) {
            return ((everyStep ? t * batch : 0) + b) * 3 * units;
        }

        /** Where row b's h_{t-1} is (t = 0: the initial state). */
        int stateAt(int t, int b) {
            return ((everyStep ? t : t % 2) * batch + b) * units;
        }
    }

    /**
     * The recurrence over a projection xz of {@code steps} x {@code batch} rows of {@code gates} =
     * 3H values (the input projection plus the input bias, whose array becomes the gate activations:
     * see {@link Projection}), with U [H, 3H], the recurrent bias [3H], h0 [B, H] and the lengths
     * [B] or null.
     */
    static SequenceResult<GRUState> run(Projection projection, int steps, int batch, int gates,
                                        Tensor recurrentKernel, Tensor recurrentBias, Tensor h0, int[] lengths) {
        int units = gates / 3;
        Shapes.checkShape("GRU recurrent kernel", recurrentKernel, units, gates);
        Shapes.checkShape("GRU recurrent bias", recurrentBias, gates);
        Shapes.checkShape("GRU initial h", h0, batch, units);
        int[] lens = SequenceLengths.check("GRU", lengths, steps, batch);
        int stateSize = batch * units;

        Tensor[] inputs = projection.inputsWith(recurrentKernel, recurrentBias, h0);
        boolean backward = Tape.recording(inputs);
        Saved saved = backward ? Saved.forBackward(projection, steps, batch, units)
                : Saved.forOneStep(steps, batch, units);
        System.arraycopy(h0.data(), h0.offset(), saved.hs, 0, stateSize);
        Tensor packed = Tensor.zeros(steps + 1, batch, units);
        ParallelKernels k = Backend.kernels();
        ForwardProduct product = ForwardProduct.of(k, recurrentKernel, steps, batch, backward);
        RowGroups.forEachStep(k, batch, steps, (from, to, t) ->
                forwardStep(k, saved, projection, product, recurrentBias, lens, packed.data(), from, to, t));
        product.release();
        System.arraycopy(saved.hs, saved.stateAt(steps, 0), packed.data(), steps * stateSize, stateSize);

        if (backward) {
            Tape.record("GRU", packed, () -> backward(k, packed, projection, recurrentKernel, recurrentBias, h0, lens,
                    saved), inputs);
        } else {
            RecurrenceBuffers.give(saved.act, saved.hz, saved.hs); // no backward will read them
        }
        Tensor finalH = packed.row(steps);
        return new SequenceResult<>(packed.rows(0, steps), finalH, new GRUState(finalH));
    }

    /**
     * Step t of rows [from, to): the cell computes the rows from the first real one to the last (a
     * padded row's gates are never read), then every padded row carries its state.
     */
    private static void forwardStep(Kernels k, Saved s, Projection projection, ForwardProduct product,
                                    Tensor recurrentBias, int[] lens, float[] out, int from, int to, int t) {
        int units = s.units;
        int gates = 3 * units;
        int first = RowGroups.firstReal(lens, t, from, to);
        int rows = RowGroups.endOfReal(lens, t, first, to) - first;
        if (rows > 0) {
            int zt = s.gatesAt(t, first);
            int prev = s.stateAt(t, first);
            int next = s.stateAt(t + 1, first);
            projection.stepRows(k, t * s.batch + first, rows, s.everyStep, s.act, zt); // xw_t, which the cell reads
            // hz_t = h_{t-1} U + b_rec
            for (int b = 0; b < rows; b++) {
                System.arraycopy(recurrentBias.data(), recurrentBias.offset(), s.hz, zt + b * gates, gates);
            }
            product.accumulate(k, s.hs, prev, s.hz, zt, rows);
            GRUCell.forward(k, rows, units, s.act, zt, s.hz, zt, s.hs, prev, s.hs, next);
        }
        int prev = s.stateAt(t, from);
        int next = s.stateAt(t + 1, from);
        RowGroups.outputOrCarry(lens, t, from, to, units, out, (t * s.batch + from) * units, prev, next, s.hs, null);
    }

    private static void backward(ParallelKernels k, Tensor packed, Projection projection, Tensor recurrentKernel,
                                 Tensor recurrentBias, Tensor h0, int[] lens, Saved s) {
        int units = s.units;
        int gates = 3 * units;
        int stateSize = s.batch * units;
        projection.startBackward("GRU");
        // d xz and d hz [T, B, 3H] are written over the activations and the recurrent products,
        // each row as they are read for the last time: no arrays of that size are allocated
        float[] dxz = s.act;
        float[] dhz = s.hz;
        // dh of every row at two steps: [i % 2] at backward step i (t = T-1-i), [(i + 1) % 2] at the
        // step before it, which step i fills; the gradient of the final state to start
        float[][] dh = {Arrays.copyOfRange(packed.gradData(), s.steps * stateSize, (s.steps + 1) * stateSize),
                new float[stateSize]};
        BackwardProduct product = BackwardProduct.of(k, recurrentKernel, s.steps, s.batch);
        RowGroups.forEachStep(k, s.batch, s.steps, (from, to, i) ->
                backwardStep(k, s, packed.gradData(), product, lens, dxz, dhz, dh[i % 2], dh[(i + 1) % 2],
                        from, to, s.steps - 1 - i));
        product.release();
        float[] dh0 = dh[s.steps % 2];
        // dU += sum_t h_{t-1}^T d hz_t, [H, T*B] . [T*B, 3H] over the real steps, beside the input
        // projection's backward and the recurrent bias's sum
        List<Runnable> alongside = new ArrayList<>(projection.backwardPieces(k, dxz, s.steps * s.batch, gates));
        if (recurrentBias.requiresGrad()) {
            float[] recurrentBiasGradient = recurrentBias.gradData();
            alongside.add(() -> k.sumRows(dhz, 0, recurrentBiasGradient, recurrentBias.offset(), s.steps * s.batch,
                    gates, true));
        }
        RowGroups.kernelGradientBeside(k, s.hs, dhz, recurrentKernel, s.steps, s.batch, lens, alongside);
        if (h0.requiresGrad()) {
            k.axpy(1f, dh0, 0, h0.gradData(), h0.offset(), stateSize);
        }
        // read for the last time above (a second backward is refused)
        RecurrenceBuffers.give(s.hz, s.hs);
        projection.release();
    }

    /**
     * Backpropagation through step t for rows [from, to): from dh_t (all rows, offsets of the state
     * [B, H]) to dxz_t and d hz_t, and to dh_{t-1}, which it overwrites.
     */
    private static void backwardStep(Kernels k, Saved s, float[] dPacked, BackwardProduct product, int[] lens,
                                     float[] dxz, float[] dhz, float[] dh, float[] dhPrev, int from, int to, int t) {
        int units = s.units;
        int gates = 3 * units;
        int stateSize = s.batch * units;
        int zt = (t * s.batch + from) * gates;
        int prev = t * stateSize;
        for (int b = from; b < to; b++) {
            int row = b * units;
            int gateRow = zt + (b - from) * gates;
            if (SequenceLengths.real(lens, b, t)) {
                k.axpy(1f, dPacked, prev + row, dh, row, units);
                GRUCell.backwardRow(k, units, s.act, gateRow, s.hz, gateRow, s.hs, prev + row, dh, row,
                        dxz, gateRow, dhz, gateRow, dhPrev, row);
            } else {
                System.arraycopy(dh, row, dhPrev, row, units); // padding: the state passed through
                Arrays.fill(dxz, gateRow, gateRow + gates, 0f); // and nothing reaches the gates
                Arrays.fill(dhz, gateRow, gateRow + gates, 0f);
            }
        }
        // dh_{t-1} += d hz_t . U^T, from the first real row to the last: a padded row's d hz is zero
        int first = RowGroups.firstReal(lens, t, from, to);
        int end = RowGroups.endOfReal(lens, t, first, to);
        if (end > first) {
            product.accumulate(k, dhz, zt + (first - from) * gates, dhPrev, first * units, end - first);
        }
    }
}
