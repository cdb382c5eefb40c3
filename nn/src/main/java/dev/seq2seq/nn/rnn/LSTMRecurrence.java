package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Shapes;
import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.engine.kernels.ParallelKernels;
import java.util.Arrays;

/**
 * The LSTM recurrence over a whole sequence as one fused, differentiable op, with backpropagation
 * through time written by hand. The input projection xw = x W + b is computed before (one big
 * product for all steps, by ordinary ops), so this op only does what must be sequential:
 *
 * <pre>
 *   for t in 0 .. T-1:   z_t = xw_t + h_{t-1} U ;  (h_t, c_t) = cell(z_t, c_{t-1})   (see LSTMCell)
 * </pre>
 *
 * Padding (a row past its end keeps h and c) and the row groups, one per core, are
 * {@link RowGroups}'s, shared with the GRU.
 *
 * <p>The op has three results, packed into one tensor [T + 2, B, H] (outputs, final h, final c)
 * and handed out as views: whatever reaches any of them lands in the packed gradient.
 */
final class LSTMRecurrence {
    private LSTMRecurrence() {
    }

    /**
     * What forward keeps for backward, all time-major: act [T, B, 4H], hs and cs [T+1, B, H], tanhC
     * [T, B, H]. Backward turns act into dz, the gate gradients, so it can run once. A forward that
     * no backward follows keeps one step instead ({@code everyStep} false): act [B, 4H], hs and cs
     * [2, B, H] (h_{t-1} and h_t in turn), tanhC [B, H]: for a validation batch of the seed's
     * decoder, 59 steps of 256 rows, 2.4 MB instead of 109 MB.
     */
    private record Saved(float[] act, float[] hs, float[] cs, float[] tanhC, int steps, int batch, int units,
                         boolean everyStep) {
        static Saved forBackward(Projection projection, int steps, int batch, int units) {
            int stateSize = batch * units;
            // hs, cs and tanhC: every element is written before it is read, so recycled arrays serve
            return new Saved(projection.activations(), RecurrenceBuffers.take((steps + 1) * stateSize),
                    RecurrenceBuffers.take((steps + 1) * stateSize), RecurrenceBuffers.take(steps * stateSize),
                    steps, batch, units, true);
        }

        static Saved forOneStep(int steps, int batch, int units) {
            int stateSize = batch * units;
            return new Saved(RecurrenceBuffers.take(4 * stateSize), RecurrenceBuffers.take(2 * stateSize),
                    RecurrenceBuffers.take(2 * stateSize), RecurrenceBuffers.take(stateSize), steps, batch, units,
                    false);
        }

        /** Where row b's gates of step t are. */
        int gatesAt(int t, int b) {
            return ((everyStep ? t * batch : 0) + b) * 4 * units;
        }

        /** Where row b's state after step t - 1 is (h_{t-1} in hs, c_{t-1} in cs; t = 0: the initial state). */
        int stateAt(int t, int b) {
            return ((everyStep ? t : t % 2) * batch + b) * units;
        }

        /** Where row b's tanh(c_t) is. */
        int tanhAt(int t, int b) {
            return ((everyStep ? t * batch : 0) + b) * units;
        }

        float[][] arrays() {
            return new float[][] {act, hs, cs, tanhC};
        }
    }

    /**
     * The recurrence over a projection xw of {@code steps} x {@code batch} rows of {@code gates} =
     * 4H values (the input projection plus the bias, whose array becomes the gate activations: see
     * {@link Projection}), with the recurrent kernel U [H, 4H], the initial h0 and c0 [B, H] and
     * the lengths [B] or null.
     */
    static SequenceResult<LSTMState> run(Projection projection, int steps, int batch, int gates,
                                         Tensor recurrentKernel, Tensor h0, Tensor c0, int[] lengths) {
        int units = gates / 4;
        Shapes.checkShape("LSTM recurrent kernel", recurrentKernel, units, gates);
        Shapes.checkShape("LSTM initial h", h0, batch, units);
        Shapes.checkShape("LSTM initial c", c0, batch, units);
        int[] lens = SequenceLengths.check("LSTM", lengths, steps, batch);
        int stateSize = batch * units;

        Tensor[] inputs = projection.inputsWith(recurrentKernel, h0, c0);
        boolean backward = Tape.recording(inputs);
        Saved saved = backward ? Saved.forBackward(projection, steps, batch, units)
                : Saved.forOneStep(steps, batch, units);
        System.arraycopy(h0.data(), h0.offset(), saved.hs, 0, stateSize);
        System.arraycopy(c0.data(), c0.offset(), saved.cs, 0, stateSize);
        Tensor packed = Tensor.zeros(steps + 2, batch, units);
        ParallelKernels k = Backend.kernels();
        ForwardProduct product = ForwardProduct.of(k, recurrentKernel, steps, batch, backward);
        RowGroups.forEachStep(k, batch, steps, (from, to, t) ->
                forwardStep(k, saved, projection, product, lens, packed.data(), from, to, t));
        product.release();
        System.arraycopy(saved.hs, saved.stateAt(steps, 0), packed.data(), steps * stateSize, stateSize);
        System.arraycopy(saved.cs, saved.stateAt(steps, 0), packed.data(), (steps + 1) * stateSize, stateSize);

        if (backward) {
            Tape.record("LSTM", packed, () -> backward(k, packed, projection, recurrentKernel, h0, c0, lens, saved),
                    inputs);
        } else {
            RecurrenceBuffers.give(saved.arrays()); // no backward will read them
        }
        Tensor finalH = packed.row(steps);
        return new SequenceResult<>(packed.rows(0, steps), finalH, new LSTMState(finalH, packed.row(steps + 1)));
    }

    /**
     * Step t of rows [from, to): the cell computes the rows from the first real one to the last (a
     * padded row's gates and tanh(c) are never read), then every padded row carries its state.
     */
    private static void forwardStep(Kernels k, Saved s, Projection projection, ForwardProduct product, int[] lens,
                                    float[] out, int from, int to, int t) {
        int first = RowGroups.firstReal(lens, t, from, to);
        int rows = RowGroups.endOfReal(lens, t, first, to) - first;
        if (rows > 0) {
            int zt = s.gatesAt(t, first);
            int prev = s.stateAt(t, first);
            int next = s.stateAt(t + 1, first);
            // z_t = xw_t + h_{t-1} U
            projection.stepRows(k, t * s.batch + first, rows, s.everyStep, s.act, zt);
            product.accumulate(k, s.hs, prev, s.act, zt, rows);
            LSTMCell.forward(k, rows, s.units, s.act, zt, s.cs, prev, s.cs, next, s.tanhC, s.tanhAt(t, first), s.hs,
                    next);
        }
        int prev = s.stateAt(t, from);
        int next = s.stateAt(t + 1, from);
        RowGroups.outputOrCarry(lens, t, from, to, s.units, out, (t * s.batch + from) * s.units, prev, next, s.hs,
                s.cs);
    }

    private static void backward(ParallelKernels k, Tensor packed, Projection projection, Tensor recurrentKernel,
                                 Tensor h0, Tensor c0, int[] lens, Saved s) {
        int units = s.units;
        int gates = 4 * units;
        int stateSize = s.batch * units;
        projection.startBackward("LSTM");
        // dz [T, B, 4H] is written over the activations, each row as they are read for the last
        // time: no array of that size is allocated (and zeroed) in every backward
        float[] dz = s.act;
        // dh and dc of every row, at two steps: [i % 2] at backward step i (t = T-1-i), [(i + 1) % 2]
        // at the step before it, which step i fills; the gradient of the final state to start
        float[][] dh = {Arrays.copyOfRange(packed.gradData(), s.steps * stateSize, (s.steps + 1) * stateSize),
                new float[stateSize]};
        float[][] dc = {Arrays.copyOfRange(packed.gradData(), (s.steps + 1) * stateSize, (s.steps + 2) * stateSize),
                new float[stateSize]};
        BackwardProduct product = BackwardProduct.of(k, recurrentKernel, s.steps, s.batch);
        RowGroups.forEachStep(k, s.batch, s.steps, (from, to, i) ->
                backwardStep(k, s, packed.gradData(), product, lens, dz, dh[i % 2], dc[i % 2], dh[(i + 1) % 2],
                        dc[(i + 1) % 2], from, to, s.steps - 1 - i));
        product.release();
        float[] dh0 = dh[s.steps % 2];
        float[] dc0 = dc[s.steps % 2];
        // dU += sum_t h_{t-1}^T dz_t, as one product over all (real) steps: [H, T*B] . [T*B, 4H],
        // beside the input projection's backward
        RowGroups.kernelGradientBeside(k, s.hs, dz, recurrentKernel, s.steps, s.batch, lens,
                projection.backwardPieces(k, dz, s.steps * s.batch, gates));
        if (h0.requiresGrad()) {
            k.axpy(1f, dh0, 0, h0.gradData(), h0.offset(), stateSize);
        }
        if (c0.requiresGrad()) {
            k.axpy(1f, dc0, 0, c0.gradData(), c0.offset(), stateSize);
        }
        // read for the last time above (a second backward is refused)
        RecurrenceBuffers.give(s.hs, s.cs, s.tanhC);
        projection.release();
    }

    /**
     * Backpropagation through step t for rows [from, to): from dh_t and dc_t (all rows, offsets of
     * the state [B, H]) to dz_t, and to dh_{t-1} and dc_{t-1}, which it overwrites.
     */
    private static void backwardStep(Kernels k, Saved s, float[] dPacked, BackwardProduct product, int[] lens,
                                     float[] dz, float[] dh, float[] dc, float[] dhPrev, float[] dcPrev,
                                     int from, int to, int t) {
        int units = s.units;
        int gates = 4 * units;
        int stateSize = s.batch * units;
        int zt = (t * s.batch + from) * gates;
        int prev = t * stateSize;
        for (int b = from; b < to; b++) {
            int row = b * units;
            if (SequenceLengths.real(lens, b, t)) {
                k.axpy(1f, dPacked, prev + row, dh, row, units); // the output h_t is used downstream too
                LSTMCell.backwardRow(k, units, s.act, zt + (b - from) * gates, s.cs, prev + row, s.tanhC, prev + row,
                        dh, row, dc, row, dz, zt + (b - from) * gates, dcPrev, row);
                Arrays.fill(dhPrev, row, row + units, 0f);
            } else {
                System.arraycopy(dh, row, dhPrev, row, units); // padding: the state passed through
                System.arraycopy(dc, row, dcPrev, row, units);
                int dzRow = zt + (b - from) * gates;
                Arrays.fill(dz, dzRow, dzRow + gates, 0f); // and nothing reaches z
            }
        }
        // dh_{t-1} += dz_t . U^T, from the first real row to the last: a padded row's dz is zero
        int first = RowGroups.firstReal(lens, t, from, to);
        int end = RowGroups.endOfReal(lens, t, first, to);
        if (end > first) {
            product.accumulate(k, dz, zt + (first - from) * gates, dhPrev, first * units, end - first);
        }
    }
}
