package dev.seq2seq.engine.autograd;

import static dev.seq2seq.engine.autograd.Grads.output;

import dev.seq2seq.engine.Shapes;
import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;

/**
 * Ops that move values without arithmetic. (Reshapes and first-axis slices need no op: they are
 * views, {@link Tensor#view} and {@link Tensor#rows}, which share their owner's gradient.)
 */
public final class ShapeOps {
    private ShapeOps() {
    }

    /**
     * Columns [from, to) of a matrix A[m,n], copied into C[m, to-from] (e.g. one gate out of the
     * fused gate pre-activations). Backward: those columns of dA += dC.
     */
    public static Tensor sliceColumns(Tensor a, int from, int to) {
        Shapes.checkMatrix("sliceColumns", a);
        int m = a.dim(0);
        int n = a.dim(1);
        if (from < 0 || to > n || from >= to) {
            throw new IllegalArgumentException("sliceColumns: [" + from + ", " + to + ") is not a column range of "
                    + a.describe());
        }
        int width = to - from;
        Tensor c = output(m, width);
        for (int r = 0; r < m; r++) {
            System.arraycopy(a.data(), a.offset() + r * n + from, c.data(), r * width, width);
        }
        if (Tape.recording(a)) {
            Tape.record("sliceColumns", c, () -> {
                for (int r = 0; r < m; r++) {
                    Backend.kernels().axpy(1f, c.gradData(), r * width, a.gradData(), a.offset() + r * n + from, width);
                }
            }, a);
        }
        return c;
    }

    /**
     * C[m, n1 + n2 + ...] = the matrices side by side. Backward: each part's gradient is its block
     * of columns of dC.
     */
    public static Tensor concatColumns(Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concatColumns: no matrices given");
        }
        int m = parts[0].dim(0);
        int total = 0;
        for (Tensor part : parts) {
            Shapes.checkMatrix("concatColumns", part);
            if (part.dim(0) != m) {
                throw new IllegalArgumentException("concatColumns: row counts differ: " + parts[0].describe() + " vs "
                        + part.describe());
            }
            total += part.dim(1);
        }
        int width = total;
        Tensor c = output(m, width);
        int start = 0;
        for (Tensor part : parts) {
            int w = part.dim(1);
            for (int r = 0; r < m; r++) {
                System.arraycopy(part.data(), part.offset() + r * w, c.data(), r * width + start, w);
            }
            start += w;
        }
        if (Tape.recording(parts)) {
            Tape.record("concatColumns", c, () -> concatColumnsBackward(c.gradData(), parts));
        }
        return c;
    }

    /**
     * The backward of {@link #concatColumns}: each part's gradient += its block of columns of dC
     * [m, n1 + n2 + ...] (offset 0). For an op that concatenates inside itself and records only
     * its own output ({@code MatrixOps.tanhOfConcatProduct}).
     */
    static void concatColumnsBackward(float[] dC, Tensor... parts) {
        int m = parts[0].dim(0);
        int width = 0;
        for (Tensor part : parts) {
            width += part.dim(1);
        }
        int at = 0;
        for (Tensor part : parts) {
            int w = part.dim(1);
            if (part.requiresGrad()) {
                for (int r = 0; r < m; r++) {
                    Backend.kernels().axpy(1f, dC, r * width + at, part.gradData(), part.offset() + r * w, w);
                }
            }
            at += w;
        }
    }

    /**
     * C[m1 + m2 + ..., n] = the matrices one below the other: the steps' [B, H] outputs of a
     * decoder run one step at a time, stacked time-major (row t * B + b) for one output layer over
     * all steps. Backward: each part's gradient is its block of rows of dC.
     */
    public static Tensor concatRows(Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concatRows: no matrices given");
        }
        int n = parts[0].dim(1);
        int total = 0;
        for (Tensor part : parts) {
            Shapes.checkMatrix("concatRows", part);
            if (part.dim(1) != n) {
                throw new IllegalArgumentException("concatRows: column counts differ: " + parts[0].describe() + " vs "
                        + part.describe());
            }
            total += part.dim(0);
        }
        Tensor c = output(total, n);
        int start = 0;
        for (Tensor part : parts) {
            System.arraycopy(part.data(), part.offset(), c.data(), start, part.size());
            start += part.size();
        }
        if (Tape.recording(parts)) {
            Tape.record("concatRows", c, () -> {
                int at = 0;
                for (Tensor part : parts) {
                    if (part.requiresGrad()) {
                        Backend.kernels().axpy(1f, c.gradData(), at, part.gradData(), part.offset(), part.size());
                    }
                    at += part.size();
                }
            }, parts);
        }
        return c;
    }

    /**
     * C[count, d] = rows ids[0..count) of table[V, d]: an embedding lookup, and also how a one-hot
     * row times a weight matrix is computed (it picks one row). Backward: each picked row of dTable
     * += its row of dC (rows picked twice get both contributions).
     */
    public static Tensor gatherRows(Tensor table, int[] ids) {
        return gatherRows(table, ids, -1);
    }

    /**
     * As {@link #gatherRows(Tensor, int[])}, but row {@code frozenId} of the table receives no
     * gradient (an embedding's padding row); -1 freezes nothing.
     */
    public static Tensor gatherRows(Tensor table, int[] ids, int frozenId) {
        Shapes.checkMatrix("gatherRows", table);
        int vocabulary = table.dim(0);
        int d = table.dim(1);
        for (int r = 0; r < ids.length; r++) {
            if (ids[r] < 0 || ids[r] >= vocabulary) {
                throw new IndexOutOfBoundsException("gatherRows: id " + ids[r] + " at position " + r
                        + " is outside the rows of " + table.describe());
            }
        }
        Tensor c = output(ids.length, d);
        Backend.kernels().gatherRows(table.data(), table.offset(), d, ids, 0, ids.length, c.data(), 0);
        if (Tape.recording(table)) {
            int[] picked = ids.clone();
            Tape.record("gatherRows", c, () -> {
                float[] tableGrad = table.gradData();
                for (int r = 0; r < picked.length; r++) {
                    if (picked[r] != frozenId) {
                        Backend.kernels().axpy(1f, c.gradData(), r * d, tableGrad, table.offset() + picked[r] * d, d);
                    }
                }
            }, table);
        }
        return c;
    }
}
