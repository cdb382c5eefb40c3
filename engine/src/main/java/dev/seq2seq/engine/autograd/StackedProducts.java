package dev.seq2seq.engine.autograd;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The gradients of products by a leaf matrix B (a weight) that a backward pass makes a few rows at
 * a time, summed once at its end:
 *
 * <pre>
 *   dB += A_1^T dC_1 ; dB += A_2^T dC_2 ; ...      each [m_i rows]: a decoder's step, in the pass's order
 *   =  dB += [A_1 ; A_2 ; ...]^T [dC_1 ; dC_2 ; ...]   one product over the stacked rows
 * </pre>
 *
 * A decoder that runs one step at a time multiplies by its weights at every step, and each step's
 * backward added its 64 rows into the whole of each weight's gradient: the gradient read and
 * written once a step (a megabyte for a [256, 1,024] kernel) for a product of k = 64, in a parallel
 * section of its own. Here each such product copies its rows of A and dC after those of the
 * products before it in the pass ({@link #stack}; or {@link #reserve}, then each core its own rows
 * while they are in its cache, as the fused attention step does), and {@link #finish} makes one
 * product per matrix.
 *
 * <p>The same bits: the product kernels sum each element of C as one chain of FMAs that continues
 * from the value C holds, over k in order (a long k is cut into blocks that carry the sum in C),
 * so the product over the stacked rows is the very chain the products made one after another, as
 * long as nothing else adds into the same elements of dB in between. The matrices stacked for
 * are leaves ({@link Tape#stackProductGradientsOf}), whose gradients only products add to during
 * a pass (an op's output needs its whole gradient before its own op's backward runs, so it is
 * never stacked for). A product of more than {@link #MAX_ROWS} rows by a matrix stacked for in
 * the same pass would add its part at once, before the stacked ones: the same sum in another
 * order; no model here multiplies a weight both ways.
 */
public final class StackedProducts implements Tape.Deferred {
    /** Products of more rows are a whole sequence's, not a step's: they run at once. */
    public static final int MAX_ROWS = 512;

    /**
     * The most a matrix stacks, in floats of A and dC together (4 MB): past it, its rows so far
     * are summed into the gradient and stacking starts again (the same chain, continued). A
     * two-layer decoder with attention stacks for ten matrices, 36 KB a row in all; unbounded,
     * a batch of 59 steps of 64 rows would hold 136 MB of them.
     */
    public static final int MAX_FLOATS = 1 << 20;

    /** The name the profile gives this work. */
    static final String NAME = "(weight gradients of steps, stacked)";

    /** One matrix B of an array, and the rows stacked for its gradient this pass. */
    private static final class Matrix {
        final int offset;
        final int rows;
        final int cols;
        /** This pass's view of B (its gradient array); null between passes, so that the array can go. */
        Tensor b;
        float[] a = new float[0];  // [R, rows]: A's rows, each rows wide (A^T's columns)
        float[] dC = new float[0]; // [R, cols]
        int stacked;

        Matrix(int offset, int rows, int cols) {
            this.offset = offset;
            this.rows = rows;
            this.cols = cols;
        }

        /**
         * Makes room for {@code count} rows after those stacked so far and returns the first:
         * when they would pass {@code maxFloats} (A and dC together), the rows so far are summed
         * first; the arrays grow (doubled, up to the bound) when full.
         */
        int reserve(int count, int maxFloats) {
            if (stacked > 0 && (long) (stacked + count) * (rows + cols) > maxFloats) {
                sum();
            }
            int first = stacked;
            stacked += count;
            int held = a.length / rows;
            if (stacked > held) {
                int room = Math.max(stacked, Math.min(2 * held, maxFloats / (rows + cols)));
                a = Arrays.copyOf(a, room * rows);
                dC = Arrays.copyOf(dC, room * cols);
            }
            return first;
        }

        /** dB += A^T dC over the rows stacked so far, split by columns over the kernel threads; none left after. */
        void sum() {
            if (stacked > 0) {
                Backend.kernels().matmulTransA(a, 0, dC, 0, b.gradData(), offset, rows, stacked, cols, true);
                stacked = 0;
            }
        }
    }

    /** The matrices of one array that this pass stacks for (a kernel's rows may be two matrices). */
    private final List<Matrix> matrices = new ArrayList<>(1);

    /**
     * Room for a product's rows of A and dC, stacked after the rows before them for B's gradient;
     * each part of a parallel section may copy its own rows into it.
     */
    public static final class Rows {
        private final Matrix matrix;
        private final int first;

        private Rows(Matrix matrix, int first) {
            this.matrix = matrix;
            this.first = first;
        }

        /**
         * Copies rows [from, to) of A and dC into the reserved rows from {@code first + from} on:
         * A's row r (B.dim(0) values) at {@code a[aOff + r * lda]}, dC's (B.dim(1)) at
         * {@code dC[dCOff + r * ldc]}.
         */
        public void copy(int from, int to, float[] a, int aOff, int lda, float[] dC, int dCOff, int ldc) {
            for (int r = from; r < to; r++) {
                copyRow(first + r, a, aOff + r * lda, dC, dCOff + r * ldc);
            }
        }

        /** Copies A's row at {@code aAt} and dC's at {@code dCAt} into stacked row {@code row}. */
        private void copyRow(int row, float[] a, int aAt, float[] dC, int dCAt) {
            System.arraycopy(a, aAt, matrix.a, row * matrix.rows, matrix.rows);
            System.arraycopy(dC, dCAt, matrix.dC, row * matrix.cols, matrix.cols);
        }
    }

    /**
     * Reserves {@code count} rows for dB += A^T dC at the end of the pass, when a backward pass
     * runs, B is a declared leaf and the product is a step's ({@code count} rows at most
     * {@link #MAX_ROWS}); null otherwise, and the caller makes the product now. Call it on the
     * pass's thread, before the parts copy their rows.
     */
    public static Rows reserve(Tensor b, int count) {
        return reserve(b, count, MAX_FLOATS);
    }

    /**
     * As {@link #reserve(Tensor, int)}, B's rows summed whenever they would pass {@code maxFloats}
     * instead of {@link #MAX_FLOATS}: for an op that knows how few matrices it stacks for.
     */
    public static Rows reserve(Tensor b, int count, int maxFloats) {
        if (count > MAX_ROWS || b.rank() != 2 || !Tape.stacksProductGradientOf(b)) {
            return null;
        }
        StackedProducts sums = Tape.deferredInBackward(NAME, b.data(), StackedProducts.class, StackedProducts::new);
        Matrix matrix = sums.matrixOf(b);
        return new Rows(matrix, matrix.reserve(count, maxFloats));
    }

    /**
     * As {@link #reserve}, copying the rows at once: the listed rows {@code rows[0, count)} of A
     * and dC in their order, or 0 to count - 1 when rows is null; false when nothing is stacked.
     */
    public static boolean stack(Tensor b, float[] a, int aOff, int lda, float[] dC, int dCOff, int ldc, int[] rows,
                                int count) {
        Rows reserved = reserve(b, count);
        if (reserved == null) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            int r = rows == null ? i : rows[i];
            reserved.copyRow(reserved.first + i, a, aOff + r * lda, dC, dCOff + r * ldc);
        }
        return true;
    }

    /** The entry of B's place in the array, made on first use; this pass's view of B kept for its gradient. */
    private Matrix matrixOf(Tensor b) {
        for (Matrix m : matrices) {
            if (m.offset == b.offset() && m.rows == b.dim(0) && m.cols == b.dim(1)) {
                m.b = m.b == null ? b : m.b;
                return m;
            }
        }
        Matrix m = new Matrix(b.offset(), b.dim(0), b.dim(1));
        m.b = b;
        matrices.add(m);
        return m;
    }

    @Override
    public void start() {
        for (Matrix m : matrices) {
            m.stacked = 0;
            m.b = null;
        }
    }

    /** One product per matrix over the rows stacked since its last sum, split by columns over the kernel threads. */
    @Override
    public void finish() {
        for (Matrix m : matrices) {
            m.sum();
        }
        start(); // holds no view until the next pass
    }
}
