package dev.seq2seq.engine.kernels;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wraps a single-threaded {@link Kernels} and splits big calls across a {@link WorkerPool}.
 *
 * <p>The split depends only on the sizes and the thread count, never on timing (but for
 * {@link #forEachStep}'s hand-overs, which move whole items), and every output element is computed
 * whole by one part with the inner kernel's own order of operations. So the results are
 * bit-identical run to run, and in fact for any thread count. Reductions to a single value
 * ({@link #sum}) and scatter-adds stay sequential for the same reason.
 */
public final class ParallelKernels implements Kernels {
    /**
     * Below this many multiply-adds a product is not worth handing to another thread. Low enough
     * that a decoding step's h . U (1 x 256 x 1024) is split: each core then streams half of U
     * from its own cache.
     */
    static final long GEMM_MIN_WORK = 1L << 18;
    /** Below this many elements an elementwise call is not worth splitting. */
    static final int ELEMENTWISE_MIN = 1 << 16;
    /** The fewest columns a thread sums in {@link #sumRows} (so that each row's axpy is long). */
    static final int SUM_ROWS_SLICE_MIN = 2048;
    /** Below this many elements a transposition or a packing is not worth splitting (as an elementwise call). */
    static final long TRANSPOSE_MIN_WORK = ELEMENTWISE_MIN;
    /** Split boundaries fall on multiples of this many columns or elements (whole vector tiles). */
    static final int ALIGN = 64;

    private final Kernels inner;
    private final WorkerPool pool;
    /** The threads calls are split over now: the pool's, or fewer inside {@link #limitThreads}. */
    private volatile int activeThreads;
    /** FLOPs of the matrix products asked of these kernels so far: see {@link #productFlops()}. */
    private final LongAdder productFlops = new LongAdder();

    public ParallelKernels(Kernels inner, WorkerPool pool) {
        this.inner = inner;
        this.pool = pool;
        this.activeThreads = pool.threads();
    }

    /** The pool's threads, the most any call is split over. */
    public int threads() {
        return pool.threads();
    }

    /** The threads calls are split over now: {@link #threads()}, or fewer under {@link #limitThreads}. */
    int activeThreads() {
        return activeThreads;
    }

    /**
     * Until the returned scope is closed, splits calls over at most {@code threads} of the pool's
     * threads (1: every call runs on the calling thread). The results are the same for any count
     * (see the class comment); only the time changes. It is there to time the same work on fewer
     * threads in the same process, in blocks alternated with the whole pool, so that the slow
     * stretches of a shared machine fall on both sides ({@code seq2seq bench --compare-threads}).
     * It holds for every caller of these kernels, so it is for a process doing one thing at a time.
     */
    public ThreadLimit limitThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("limitThreads: at least 1 thread, got " + threads);
        }
        ThreadLimit scope = new ThreadLimit(activeThreads);
        activeThreads = Math.min(threads, pool.threads());
        return scope;
    }

    /** A {@link #limitThreads} in force; closing it restores the count before it. */
    public final class ThreadLimit implements AutoCloseable {
        private final int previous;

        private ThreadLimit(int previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            activeThreads = previous;
        }
    }

    /**
     * FLOPs of every matrix product asked of these kernels so far ({@code 2 m k n} each, however it
     * was split), so that a workload's FLOP rate can be set against the {@link FmaCeiling}.
     */
    public long productFlops() {
        return productFlops.sum();
    }

    @Override
    public String name() {
        return inner.name();
    }

    /** How many parts to cut {@code extent} into, each at least {@code minPart} long. */
    private int parts(int extent, int minPart) {
        return Math.max(1, Math.min(activeThreads, extent / minPart));
    }

    /** Start of part {@code p} of {@code parts} over [0, extent), on multiples of {@code align}. */
    private static int boundary(int p, int parts, int extent, int align) {
        if (p >= parts) {
            return extent;
        }
        long even = (long) extent * p / parts;
        return (int) Math.min(extent, (even + align - 1) / align * align);
    }

    @Override
    public void gemm(float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, int m, int k, int n, boolean accumulate) {
        productFlops.add(2L * m * k * n);
        // inside a part the pieces would run one after the other, each copying A again if it is
        // stored transposed: one call does the same sums
        if ((long) m * n * k < GEMM_MIN_WORK || activeThreads == 1 || pool.insidePart()) {
            inner.gemm(a, aOff, aRs, aCs, b, bOff, ldb, c, cOff, ldc, m, k, n, accumulate);
        } else if (n >= 2 * ALIGN) {
            byColumns(n, (from, to) -> inner.gemm(a, aOff, aRs, aCs, b, bOff + from, ldb, c, cOff + from, ldc, m, k,
                    to - from, accumulate));
        } else {
            byRows(m, (from, to) -> inner.gemm(a, aOff + from * aRs, aRs, aCs, b, bOff, ldb, c, cOff + from * ldc, ldc,
                    to - from, k, n, accumulate));
        }
    }

    /**
     * Split by columns as {@link #gemm} splits; run whole inside a part (dU beside its own work)
     * and for fewer than two aligned blocks of columns.
     */
    @Override
    public void matmulTransARows(float[] a, int lda, int[] rows, int count, float[] b, int bOff, int ldb,
                                 float[] c, int cOff, int ldc, int m, int n) {
        productFlops.add(2L * m * count * n);
        if ((long) m * n * count < GEMM_MIN_WORK || activeThreads == 1 || pool.insidePart() || n < 2 * ALIGN) {
            inner.matmulTransARows(a, lda, rows, count, b, bOff, ldb, c, cOff, ldc, m, n);
            return;
        }
        byColumns(n, (from, to) -> inner.matmulTransARows(a, lda, rows, count, b, bOff + from, ldb, c, cOff + from,
                ldc, m, to - from));
    }

    @Override
    public void gemmTransB(float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float[] c, int cOff, int ldc, int m, int k, int n, boolean accumulate) {
        productFlops.add(2L * m * k * n);
        if ((long) m * n * k < GEMM_MIN_WORK || activeThreads == 1) {
            inner.gemmTransB(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, k, n, accumulate);
        } else if (n >= 2 * ALIGN) {
            byColumns(n, (from, to) -> inner.gemmTransB(a, aOff, lda, b, bOff + from * ldb, ldb, c, cOff + from, ldc,
                    m, k, to - from, accumulate));
        } else {
            byRows(m, (from, to) -> inner.gemmTransB(a, aOff + from * lda, lda, b, bOff, ldb, c, cOff + from * ldc,
                    ldc, to - from, k, n, accumulate));
        }
    }

    @Override
    public int packedStripWidth(int n) {
        return inner.packedStripWidth(n);
    }

    /**
     * The strips cut into one band per thread, each thread copying its own: a recurrent kernel of
     * 256 units is a megabyte, packed four times a training step (U for each layer's forward, U^T
     * for its backward) while the other core would wait. A copy, so the same result however it is
     * cut.
     */
    @Override
    public PackedMatrix pack(float[] b, int bOff, int ldb, int k, int n, float[] storage) {
        PackedMatrix packed = PackedMatrix.over(storage, k, n, packedStripWidth(n));
        splitStrips(packed, (from, to) -> packed.packStrips(b, bOff, ldb, from, to));
        return packed;
    }

    /** Cut as {@link #pack} cuts. */
    @Override
    public PackedMatrix packTransposed(float[] s, int sOff, int lds, int k, int n, float[] storage) {
        PackedMatrix packed = PackedMatrix.over(storage, k, n, packedStripWidth(n));
        splitStrips(packed, (from, to) -> inner.packStripsTransposed(packed, s, sOff, lds, from, to));
        return packed;
    }

    @Override
    public void packStripsTransposed(PackedMatrix packed, float[] s, int sOff, int lds, int fromStrip, int toStrip) {
        inner.packStripsTransposed(packed, s, sOff, lds, fromStrip, toStrip);
    }

    /** {@code body} over the strips [0, strips) of {@code packed}, one band per thread when it is large enough. */
    private void splitStrips(PackedMatrix packed, Range body) {
        int strips = packed.strips();
        long elements = (long) strips * packed.rows() * packed.stripWidth();
        if (elements < TRANSPOSE_MIN_WORK || activeThreads == 1 || strips < 2) {
            body.run(0, strips);
            return;
        }
        int parts = parts(strips, 1);
        pool.run(parts, p -> body.run(boundary(p, parts, strips, 1), boundary(p + 1, parts, strips, 1)));
    }

    /**
     * Split as {@link #gemm} splits: by columns (whole strips, each thread reading its own share of
     * B) when there are enough, else by rows. Called from inside a part (a recurrence's row group),
     * it runs there whole.
     */
    @Override
    public void matmulPacked(float[] a, int aOff, int lda, PackedMatrix b, float[] c, int cOff, int ldc, int m,
                             boolean accumulate) {
        int k = b.rows();
        int n = b.columns();
        productFlops.add(2L * m * k * n);
        if ((long) m * n * k < GEMM_MIN_WORK || activeThreads == 1) {
            inner.matmulPacked(a, aOff, lda, b, c, cOff, ldc, m, accumulate);
        } else if (n >= 2 * ALIGN && ALIGN % b.stripWidth() == 0) {
            byColumns(n, (from, to) -> inner.matmulPacked(a, aOff, lda, b.columns(from, to), c, cOff + from, ldc, m,
                    accumulate));
        } else {
            byRows(m, (from, to) -> inner.matmulPacked(a, aOff + from * lda, lda, b, c, cOff + from * ldc, ldc,
                    to - from, accumulate));
        }
    }

    /** A body over the range [from, to). */
    public interface Range {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over [0, count) cut into at most one part per thread, each at least
     * {@code minPart} long, side by side; the cut depends only on the sizes. For work whose parts
     * are independent for a long time, such as the rows of a batch through a whole recurrence:
     * one hand-off per sequence instead of one per step. Kernels called inside a part run on that
     * part's thread.
     */
    public void forEachPart(int count, int minPart, Range body) {
        forEachPart(count, minPart, (part, parts, from, to) -> body.run(from, to));
    }

    /** Part {@code part} of {@code parts}, over the range [from, to). */
    public interface PartRange {
        void run(int part, int parts, int from, int to);
    }

    /** {@link #forEachPart(int, int, Range)}, each part told which it is and how many there are. */
    public void forEachPart(int count, int minPart, PartRange body) {
        int parts = parts(count, Math.max(1, minPart));
        pool.run(parts, p -> body.run(p, parts, boundary(p, parts, count, 1), boundary(p + 1, parts, count, 1)));
    }

    /** Step {@code step} of part {@code part} of a run in lockstep ({@link #inLockstep}). */
    public interface LockstepPart {
        /** Returns whether to go on after this step; part 0's answer is the one every part follows. */
        boolean step(int part, int parts, int step);
    }

    /**
     * Runs {@code body.step(part, parts, step)} for step = 0, 1, ... on {@code parts} threads at
     * once, each part on its own thread for the whole run, every part waiting at the end of each
     * step until all have finished it: whatever a part writes in step s, every part sees in step
     * s + 1. The run ends after the first step at whose end part 0 said stop. For work whose parts
     * need each other's results at every step, such as the units of one sentence's recurrence:
     * one hand-off for the run and one meeting a step ({@link Lockstep}), where a
     * {@link #forEachPart} a step hands off and waits every step. A part that throws ends the run
     * for all; the first failure is thrown here once every part has returned.
     *
     * <p>Returns false without running anything when the parts cannot all run at once, each
     * waiting for the others (fewer threads than parts, under a {@link #limitThreads} too, or a
     * call from inside a part), or when there is only one: the caller then steps another way.
     */
    public boolean inLockstep(int parts, LockstepPart body) {
        if (parts < 2 || parts > activeThreads || pool.insidePart()) {
            return false;
        }
        Lockstep run = new Lockstep(parts, body);
        pool.run(parts, run::runPart);
        run.rethrow();
        return true;
    }

    /** Step {@code step} of a body over the range [from, to). */
    public interface RangeStep {
        void run(int from, int to, int step);
    }

    /**
     * Runs {@code body.run(from, to, step)} for step = 0 .. steps-1 over [0, count), for work in
     * which a range's step needs nothing but the same range's earlier steps (the rows of a batch
     * through a recurrence, step after step). [0, count) is cut as {@link #forEachPart} cuts it,
     * and each part goes through all its steps on its own thread: one hand-off for the whole run.
     * A thread whose part is done takes over the upper half of a part still running, if that part
     * has at least {@code 2 minPart} items, from the part's next step on ({@link StepSharing}), so
     * that the cores finish together. Which thread computes an item then depends on timing; the
     * results do not, provided the body computes each item the same way in any range.
     */
    public void forEachStep(int count, int minPart, int steps, RangeStep body) {
        int parts = parts(count, Math.max(1, minPart));
        if (parts == 1 || pool.insidePart()) { // inside a part, parts would run one after the other
            for (int step = 0; step < steps; step++) {
                body.run(0, count, step);
            }
            return;
        }
        StepSharing sharing = new StepSharing(parts, steps, Math.max(1, minPart), body);
        pool.run(parts, p -> sharing.runPart(p, boundary(p, parts, count, 1), boundary(p + 1, parts, count, 1)));
    }

    /**
     * A product's columns [0, n), one share per thread, on multiples of {@link #ALIGN}: each thread
     * reads all of A but only its own columns of B, and every output is summed whole by one thread.
     */
    private void byColumns(int n, Range share) {
        int parts = parts(n, ALIGN);
        pool.run(parts, p -> share.run(boundary(p, parts, n, ALIGN), boundary(p + 1, parts, n, ALIGN)));
    }

    /** A product's rows [0, m), one share per thread, on multiples of 4 (a product too narrow to cut by columns). */
    private void byRows(int m, Range share) {
        int parts = parts(m, 4);
        pool.run(parts, p -> share.run(boundary(p, parts, m, 4), boundary(p + 1, parts, m, 4)));
    }

    /**
     * True when an elementwise op of n elements runs whole on the calling thread. Each op asks
     * before it makes the lambda that would share it out: a lambda that captures the op's
     * arguments is an object, and where the JIT does not inline its making (a large compiled
     * caller, or code not compiled by C2 yet) it is allocated through a method handle's slow path.
     * The recurrences call these ops on a row group's rows at every step: their lambdas took 1.9%
     * of a masked epoch's samples.
     */
    private boolean alone(int n) {
        return n < ELEMENTWISE_MIN || activeThreads == 1;
    }

    /** {@link #alone} for whole rows of a [rows, cols] matrix. */
    private boolean rowsAlone(int rows, int cols) {
        return (long) rows * cols < ELEMENTWISE_MIN / 2 || activeThreads == 1;
    }

    /** Shares n elements out among the threads (after {@link #alone} said no). */
    private void split(int n, Range range) {
        int parts = parts(n, ELEMENTWISE_MIN / 2);
        pool.run(parts, p -> range.run(boundary(p, parts, n, ALIGN), boundary(p + 1, parts, n, ALIGN)));
    }

    /**
     * x[xOff, xOff + n) = 0, shared out among the threads when large: an optimiser zeroes every
     * gradient before each step (7.7 million values for a word model, 0.7 ms on one core and 0.3 on
     * two). Not a {@link Kernels} method: {@code Arrays.fill} is the JVM's own vector loop.
     */
    public void zero(float[] x, int xOff, int n) {
        if (alone(n)) {
            Arrays.fill(x, xOff, xOff + n, 0f);
            return;
        }
        split(n, (from, to) -> Arrays.fill(x, xOff + from, xOff + to, 0f));
    }

    @Override
    public void add(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        if (alone(n)) {
            inner.add(x, xOff, y, yOff, out, outOff, n);
            return;
        }
        split(n, (from, to) -> inner.add(x, xOff + from, y, yOff + from, out, outOff + from, to - from));
    }

    @Override
    public void sub(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        if (alone(n)) {
            inner.sub(x, xOff, y, yOff, out, outOff, n);
            return;
        }
        split(n, (from, to) -> inner.sub(x, xOff + from, y, yOff + from, out, outOff + from, to - from));
    }

    @Override
    public void mul(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        if (alone(n)) {
            inner.mul(x, xOff, y, yOff, out, outOff, n);
            return;
        }
        split(n, (from, to) -> inner.mul(x, xOff + from, y, yOff + from, out, outOff + from, to - from));
    }

    @Override
    public void mulAdd(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        if (alone(n)) {
            inner.mulAdd(x, xOff, y, yOff, out, outOff, n);
            return;
        }
        split(n, (from, to) -> inner.mulAdd(x, xOff + from, y, yOff + from, out, outOff + from, to - from));
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        if (alone(n)) {
            inner.axpy(alpha, x, xOff, y, yOff, n);
            return;
        }
        split(n, (from, to) -> inner.axpy(alpha, x, xOff + from, y, yOff + from, to - from));
    }

    @Override
    public void scale(float alpha, float[] x, int xOff, float[] out, int outOff, int n) {
        if (alone(n)) {
            inner.scale(alpha, x, xOff, out, outOff, n);
            return;
        }
        split(n, (from, to) -> inner.scale(alpha, x, xOff + from, out, outOff + from, to - from));
    }

    @Override
    public void rmspropUpdate(float[] w, int wOff, float[] gradient, int gOff, float[] v, int vOff, int n,
                              float gradientScale, float learningRate, float rho, float epsilon) {
        if (alone(n)) {
            inner.rmspropUpdate(w, wOff, gradient, gOff, v, vOff, n, gradientScale, learningRate, rho, epsilon);
            return;
        }
        split(n, (from, to) -> inner.rmspropUpdate(w, wOff + from, gradient, gOff + from, v, vOff + from, to - from,
                gradientScale, learningRate, rho, epsilon));
    }

    @Override
    public void adamUpdate(float[] w, int wOff, float[] gradient, int gOff, float[] m, float[] v, int stateOff, int n,
                           float gradientScale, float stepSize, float beta1, float beta2, float correction2Sqrt,
                           float epsilon) {
        if (alone(n)) {
            inner.adamUpdate(w, wOff, gradient, gOff, m, v, stateOff, n, gradientScale, stepSize, beta1, beta2,
                    correction2Sqrt, epsilon);
            return;
        }
        split(n, (from, to) -> inner.adamUpdate(w, wOff + from, gradient, gOff + from, m, v, stateOff + from,
                to - from, gradientScale, stepSize, beta1, beta2, correction2Sqrt, epsilon));
    }

    @Override
    public GemvMatrix packForGemv(float[] b, int bOff, int ldb, int k, int n) {
        return inner.packForGemv(b, bOff, ldb, k, n);
    }

    /** A few rows: never split (the decoding steppers already give each thread its own columns). */
    @Override
    public void matmulGemv(float[] a, int aOff, int lda, int m, GemvMatrix b, float[] c, int cOff, int ldc,
                           boolean accumulate) {
        productFlops.add(2L * m * b.rows() * b.columns());
        inner.matmulGemv(a, aOff, lda, m, b, c, cOff, ldc, accumulate);
    }

    /** One row: never split (the decoding steppers already give each thread its own columns). */
    @Override
    public void rowTimesBf16Matrix(float[] a, int aOff, int[] b, int bOff, float[] c, int cOff, int k, int n,
                                   boolean accumulate) {
        inner.rowTimesBf16Matrix(a, aOff, b, bOff, c, cOff, k, n, accumulate);
    }

    @Override
    public void movingAverage(float[] average, int avgOff, float[] x, int xOff, int n, float rate) {
        if (alone(n)) {
            inner.movingAverage(average, avgOff, x, xOff, n, rate);
            return;
        }
        split(n, (from, to) -> inner.movingAverage(average, avgOff + from, x, xOff + from, to - from, rate));
    }

    /**
     * dst[cols, rows] = src[rows, cols]^T ({@link Transpose#blocked}), the rows of src cut into one
     * band per thread: each band fills its own columns of every row of dst. A copy, so the same
     * result however it is cut.
     */
    public void transpose(float[] src, int srcOff, int lds, int rows, int cols, float[] dst, int dstOff) {
        if ((long) rows * cols < TRANSPOSE_MIN_WORK || activeThreads == 1) {
            Transpose.blocked(src, srcOff, lds, rows, cols, dst, dstOff);
            return;
        }
        int parts = parts(rows, ALIGN);
        pool.run(parts, p -> {
            int from = boundary(p, parts, rows, ALIGN);
            int to = boundary(p + 1, parts, rows, ALIGN);
            Transpose.blocked(src, srcOff + from * lds, lds, to - from, cols, dst, dstOff + from, rows);
        });
    }

    /** One row: never split (the recurrences already give each thread its own rows). */
    @Override
    public void lstmBackwardRow(int units, float[] act, int actOff, float[] cPrev, int cPrevOff, float[] tanhC,
                                int tanhCOff, float[] dh, int dhOff, float[] dc, int dcOff, float[] dz, int dzOff,
                                float[] dcPrev, int dcPrevOff) {
        inner.lstmBackwardRow(units, act, actOff, cPrev, cPrevOff, tanhC, tanhCOff, dh, dhOff, dc, dcOff, dz, dzOff,
                dcPrev, dcPrevOff);
    }

    /** One row: never split. */
    @Override
    public void gruBackwardRow(int units, float[] act, int actOff, float[] hz, int hzOff, float[] hPrev, int hPrevOff,
                               float[] dh, int dhOff, float[] dxz, int dxzOff, float[] dhz, int dhzOff,
                               float[] dhPrev, int dhPrevOff) {
        inner.gruBackwardRow(units, act, actOff, hz, hzOff, hPrev, hPrevOff, dh, dhOff, dxz, dxzOff, dhz, dhzOff,
                dhPrev, dhPrevOff);
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] out, int outOff, int n) {
        if (alone(n)) {
            inner.sigmoid(x, xOff, out, outOff, n);
            return;
        }
        split(n, (from, to) -> inner.sigmoid(x, xOff + from, out, outOff + from, to - from));
    }

    @Override
    public void tanh(float[] x, int xOff, float[] out, int outOff, int n) {
        if (alone(n)) {
            inner.tanh(x, xOff, out, outOff, n);
            return;
        }
        split(n, (from, to) -> inner.tanh(x, xOff + from, out, outOff + from, to - from));
    }

    @Override
    public void exp(float[] x, int xOff, float[] out, int outOff, int n) {
        if (alone(n)) {
            inner.exp(x, xOff, out, outOff, n);
            return;
        }
        split(n, (from, to) -> inner.exp(x, xOff + from, out, outOff + from, to - from));
    }

    @Override
    public float sum(float[] x, int xOff, int n) {
        return inner.sum(x, xOff, n);
    }

    /** One row: its caller shares rows among the threads (a beam search's ranking). */
    @Override
    public double logSumExp(float[] x, int xOff, int n) {
        return inner.logSumExp(x, xOff, n);
    }

    /** Splits whole rows of a [rows, cols] matrix. */
    private void splitRows(int rows, int cols, Range range) {
        int parts = parts(rows, 1);
        pool.run(parts, p -> range.run(boundary(p, parts, rows, 1), boundary(p + 1, parts, rows, 1)));
    }

    @Override
    public void softmaxRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols) {
        if (rowsAlone(rows, cols)) {
            inner.softmaxRows(x, xOff, out, outOff, rows, cols);
            return;
        }
        splitRows(rows, cols, (from, to) ->
                inner.softmaxRows(x, xOff + from * cols, out, outOff + from * cols, to - from, cols));
    }

    @Override
    public void logSoftmaxRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols) {
        if (rowsAlone(rows, cols)) {
            inner.logSoftmaxRows(x, xOff, out, outOff, rows, cols);
            return;
        }
        splitRows(rows, cols, (from, to) ->
                inner.logSoftmaxRows(x, xOff + from * cols, out, outOff + from * cols, to - from, cols));
    }

    /** Whole rows to each thread. */
    @Override
    public void addToRows(float[] x, int xOff, float[] v, int vOff, float[] out, int outOff, int rows, int cols) {
        if (rowsAlone(rows, cols)) {
            inner.addToRows(x, xOff, v, vOff, out, outOff, rows, cols);
            return;
        }
        splitRows(rows, cols, (from, to) ->
                inner.addToRows(x, xOff + from * cols, v, vOff, out, outOff + from * cols, to - from, cols));
    }

    /**
     * A range of columns to each thread, each summing its columns over all the rows in order: the
     * same sums as one thread's. A part adds row after row to its slice of out with axpy(1, ...),
     * whose y + 1 * x is exactly the y + x the inner sumRows does (1 * x is exact). Only rows of
     * at least two {@link #SUM_ROWS_SLICE_MIN} slices are split: measured on the seed's job, the
     * bias gradient of an input projection ([T * B, 1024]) took longer split in two halves than
     * on one thread, while an output layer's ([576, 8004]) took less.
     */
    @Override
    public void sumRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols, boolean accumulate) {
        int parts = parts(cols, SUM_ROWS_SLICE_MIN);
        if ((long) rows * cols < ELEMENTWISE_MIN || parts == 1) {
            inner.sumRows(x, xOff, out, outOff, rows, cols, accumulate);
            return;
        }
        pool.run(parts, p -> {
            int from = boundary(p, parts, cols, ALIGN);
            int to = boundary(p + 1, parts, cols, ALIGN);
            if (!accumulate) {
                Arrays.fill(out, outOff + from, outOff + to, 0f);
            }
            for (int r = 0; r < rows; r++) {
                inner.axpy(1f, x, xOff + r * cols + from, out, outOff + from, to - from);
            }
        });
    }

    @Override
    public void sumColumns(float[] x, int xOff, float[] out, int outOff, int rows, int cols, boolean accumulate) {
        if (rowsAlone(rows, cols)) {
            inner.sumColumns(x, xOff, out, outOff, rows, cols, accumulate);
            return;
        }
        splitRows(rows, cols, (from, to) ->
                inner.sumColumns(x, xOff + from * cols, out, outOff + from, to - from, cols, accumulate));
    }

    @Override
    public void gatherRows(float[] table, int tableOff, int cols, int[] ids, int idsOff, int count,
                           float[] out, int outOff) {
        if (rowsAlone(count, cols)) {
            inner.gatherRows(table, tableOff, cols, ids, idsOff, count, out, outOff);
            return;
        }
        splitRows(count, cols, (from, to) ->
                inner.gatherRows(table, tableOff, cols, ids, idsOff + from, to - from, out, outOff + from * cols));
    }

    @Override
    public void gatherRowsPlus(float[] table, int tableOff, int cols, int[] ids, int idsOff, int count,
                               float[] v, int vOff, float[] out, int outOff) {
        if (rowsAlone(count, cols)) {
            inner.gatherRowsPlus(table, tableOff, cols, ids, idsOff, count, v, vOff, out, outOff);
            return;
        }
        splitRows(count, cols, (from, to) -> inner.gatherRowsPlus(table, tableOff, cols, ids, idsOff + from,
                to - from, v, vOff, out, outOff + from * cols));
    }

    /**
     * On one thread: two rows may add into the same table row, so rows cannot be split, and a split
     * by columns (each thread adding its columns of every row, in row order: the same bits) was
     * measured slower, 127-142 us against 117-119 for [960, 1024] rows written by both cores.
     */
    @Override
    public void scatterAddRows(float[] src, int srcOff, int cols, int[] ids, int idsOff, int count,
                               float[] table, int tableOff) {
        inner.scatterAddRows(src, srcOff, cols, ids, idsOff, count, table, tableOff);
    }
}
