package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.StackedProducts;
import dev.seq2seq.engine.kernels.ParallelKernels;
import dev.seq2seq.engine.kernels.Transpose;
import java.util.List;

/**
 * What the fused recurrences ({@link LSTMRecurrence}, {@link GRURecurrence}) and the inference
 * steps share besides their cells' math: how a batch is cut into row groups, the padding rule for
 * a row past its end, and U^T for backward.
 *
 * <p>Row groups: rows of a batch never mix in a recurrence, so the batch is cut into one group of
 * rows per core and each group runs all its steps on its own (one hand-off per sequence, not per
 * step); in a sequence op, a core done early takes over half of a group still running. Each
 * row's numbers are the same whatever the grouping.
 *
 * <p>Padding: at a step t >= lengths[b], row b keeps its state (every state array: h, and c for the
 * LSTM), its output is zero, and in backward its state's gradient passes through unchanged and
 * nothing reaches the weights. So the final state of every row is its state at its true last step.
 *
 * <p>A step of a row group computes only the rows from its first real row to its last
 * ({@link #firstReal}, {@link #endOfReal}): the padded rows around them need no product and no
 * cell, only the carry. A batch cut from examples sorted by length (masked padding's
 * {@code BatchPlan}) has its padded rows mostly at one end, so this skips most of the padding's
 * work; a real row's numbers are the same whatever range it is computed in.
 */
final class RowGroups {
    /** Fewer rows than this per group and the matrix products get too thin to pay. */
    static final int MIN_ROWS_PER_GROUP = RecurrentLayer.MIN_ROWS_PER_CORE;

    private RowGroups() {
    }

    /**
     * Runs {@code body} on the row groups of a batch of {@code batch} rows through {@code steps}
     * steps, one group per core, each going through all its steps on its own; a core done early
     * takes over half of the other's rows, from its next step on
     * ({@link ParallelKernels#forEachStep}). {@code body} gets the rows and the step.
     */
    static void forEachStep(ParallelKernels k, int batch, int steps, ParallelKernels.RangeStep body) {
        k.forEachStep(batch, MIN_ROWS_PER_GROUP, steps, body);
    }

    /** Runs {@code body} on the row groups of a batch of {@code batch} rows, one group per core. */
    static void forEach(ParallelKernels k, int batch, ParallelKernels.Range body) {
        k.forEachPart(batch, MIN_ROWS_PER_GROUP, body);
    }

    /** The first row of [from, to) real at step t; {@code to} when none is. */
    static int firstReal(int[] lens, int t, int from, int to) {
        int b = from;
        while (b < to && !SequenceLengths.real(lens, b, t)) {
            b++;
        }
        return b;
    }

    /** One past the last row of [first, to) real at step t; {@code first} when none is. */
    static int endOfReal(int[] lens, int t, int first, int to) {
        int end = to;
        while (end > first && !SequenceLengths.real(lens, end - 1, t)) {
            end--;
        }
        return end;
    }

    /**
     * After step t of rows [from, to): a real row's new h (at {@code next} in {@code h}) is copied to
     * its output (at {@code output} in {@code out}, zeros elsewhere); a padded row carries its state
     * instead, from {@code prev} to {@code next} in {@code h} and in {@code c} (the LSTM's cell
     * state; null for the GRU). Offsets are those of row {@code from}; rows are {@code units} apart.
     */
    static void outputOrCarry(int[] lens, int t, int from, int to, int units, float[] out, int output, int prev,
                              int next, float[] h, float[] c) {
        for (int b = from; b < to; b++) {
            int row = (b - from) * units;
            if (SequenceLengths.real(lens, b, t)) {
                System.arraycopy(h, next + row, out, output + row, units);
            } else {
                System.arraycopy(h, prev + row, h, next + row, units);
                if (c != null) {
                    System.arraycopy(c, prev + row, c, next + row, units);
                }
            }
        }
    }

    /** The fewest columns of dU a thread takes in {@link #kernelGradientBeside}. */
    private static final int MIN_GRADIENT_COLUMNS = 64;

    /**
     * After a backward's steps: dU += h^T dz over all of them at once ([H, T*B] . [T*B, G*H], hs
     * holding h_{t-1} of every step), its columns cut between the threads, with the pieces of
     * {@code alongside} shared among them, piece i run first by the thread of part i modulo the
     * parts: the input projection's backward and the biases' sums, which read dz (or another
     * gradient the steps wrote) but write elsewhere, each piece one core's pass over its rows (a
     * token may repeat, so a scatter-add into the token rows cannot be cut). Run one after the
     * other before the product, the other core would wait through them, long enough to stop
     * spinning and park, and then be woken for the product; run all by the thread of the first
     * columns, the other waited as long at the section's end. Each column of dU is summed whole by
     * one thread in the kernel's own order, and each piece by one thread, so the bits are those of
     * one thread doing it all. The pieces must have made the gradient arrays they write (see
     * {@code Tensor#gradData}) before this is called.
     *
     * <p>With lengths, the product runs over the real positions only ({@link #realPositions}): a
     * padded position's dz row is zero, so it adds nothing to dU, and leaving it out changes no
     * bit (see {@code Kernels#matmulTransARows}); the rows of h and dz the product copies anyway
     * skip it for free.
     */
    static void kernelGradientBeside(ParallelKernels k, float[] hs, float[] dz, Tensor recurrentKernel, int steps,
                                     int batch, int[] lens, List<Runnable> alongside) {
        if (!recurrentKernel.requiresGrad()) {
            alongside.forEach(Runnable::run);
            return;
        }
        int units = recurrentKernel.dim(0);
        int gates = recurrentKernel.dim(1);
        float[] gradient = recurrentKernel.gradData(); // made here, before the threads write into it
        int offset = recurrentKernel.offset();
        int[] real = realPositions(lens, steps, batch);
        // a step's product (a decoder's, one step at a time) waits for the pass's end, with the others of U
        boolean stacked = StackedProducts.stack(recurrentKernel, hs, 0, units, dz, 0, gates, real,
                real == null ? steps * batch : real.length);
        k.forEachPart(gates, MIN_GRADIENT_COLUMNS, (part, parts, from, to) -> {
            for (int piece = part; piece < alongside.size(); piece += parts) {
                alongside.get(piece).run();
            }
            if (stacked) {
                return;
            }
            // dU[:, from:to] += hs^T dz[:, from:to]
            if (real == null) {
                k.gemm(hs, 0, 1, units, dz, from, gates, gradient, offset + from, gates, units, steps * batch,
                        to - from, true);
            } else {
                k.matmulTransARows(hs, units, real, real.length, dz, from, gates, gradient, offset + from, gates,
                        units, to - from);
            }
        });
    }

    /**
     * The rows t * B + b of the real positions (t < lengths[b]) in ascending order, the order of
     * the sums over all positions; null when every position is real.
     */
    static int[] realPositions(int[] lens, int steps, int batch) {
        int count = 0;
        for (int b = 0; b < batch; b++) {
            count += lens == null ? steps : lens[b];
        }
        if (count == steps * batch) {
            return null;
        }
        int[] real = new int[count];
        int next = 0;
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                if (SequenceLengths.real(lens, b, t)) {
                    real[next++] = t * batch + b;
                }
            }
        }
        return real;
    }

    /** U^T [G*H, H] of a recurrent kernel U [H, G*H], made once per backward: every step multiplies by it. */
    static float[] transposed(Tensor recurrentKernel) {
        int units = recurrentKernel.dim(0);
        int gates = recurrentKernel.dim(1);
        float[] uTransposed = new float[gates * units];
        Transpose.blocked(recurrentKernel.data(), recurrentKernel.offset(), gates, units, gates, uTransposed, 0);
        return uTransposed;
    }
}
