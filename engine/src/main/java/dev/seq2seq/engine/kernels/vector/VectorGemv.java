package dev.seq2seq.engine.kernels.vector;

import static dev.seq2seq.engine.kernels.vector.VectorWidth.LANES;
import static dev.seq2seq.engine.kernels.vector.VectorWidth.SPECIES;

import dev.seq2seq.engine.kernels.GemvMatrix;
import jdk.incubator.vector.FloatVector;

/**
 * A few rows times a matrix in the {@link GemvMatrix} layout
 * ({@link dev.seq2seq.engine.kernels.Kernels#matmulGemv}): for each row of A, c[0, n) (+)= a . B,
 * a band of {@link #BAND_ROWS} rows of B per pass over c, as {@link VectorGemm#rowTimesMatrix}
 * takes eight rows of B itself per pass, and with the same FMAs in the same order (each element
 * summed p = 0, 1, ..., one FMA each): the same bits. What changes is where the rows of a pass
 * lie: one after the other for each vector of c, so that a pass reads the matrix front to back,
 * in one stream; and two rows of A share a pass where there are two. The rows of a band are
 * written out one by one: vectors handed to a helper method were boxed (see VectorGemm).
 */
final class VectorGemv {
    /**
     * Rows of B per band, so per pass over c: eight broadcast elements of a, the sum and the
     * loaded weights fit AVX2's 16 vector registers.
     */
    static final int BAND_ROWS = 8;

    /** c padded to whole vectors, when n is not a multiple of the lanes. */
    private static final ThreadLocal<float[]> PADDED_SUMS = ThreadLocal.withInitial(() -> new float[0]);

    private VectorGemv() {
    }

    /**
     * C[m, n] (+)= A[m, k] . B, rows of A at {@code aOff + i * lda}, of C at {@code cOff + i * ldc}:
     * two rows of A per pass over B where there are two (each vector of B read once for both), then
     * the last one alone.
     */
    static void multiply(float[] a, int aOff, int lda, int m, GemvMatrix b, float[] c, int cOff, int ldc,
                         boolean accumulate) {
        if (b.lanes() != LANES || b.bandRows() != BAND_ROWS) {
            throw new IllegalArgumentException("a matrix laid out in bands of " + b.bandRows() + " rows and groups of "
                    + b.lanes() + " columns, where this kernel reads " + BAND_ROWS + " and " + LANES
                    + ": lay it out with the same backend's packForGemv");
        }
        int i = 0;
        for (; i + 2 <= m; i += 2) {
            twoRowsTimesMatrix(a, aOff + i * lda, aOff + (i + 1) * lda, b, c, cOff + i * ldc, cOff + (i + 1) * ldc,
                    accumulate);
        }
        if (i < m) {
            rowTimesMatrix(a, aOff + i * lda, b, c, cOff + i * ldc, accumulate);
        }
    }

    /** One row of A into one row of C, a band of B per pass over c. */
    private static void rowTimesMatrix(float[] a, int aOff, GemvMatrix b, float[] c, int cOff, boolean accumulate) {
        int k = b.rows();
        int n = b.columns();
        int padded = b.paddedColumns();
        float[] sums = padded == n ? c : VectorGemm.scratch(PADDED_SUMS, padded);
        int sOff = padded == n ? cOff : 0;
        startSums(c, cOff, n, sums, sOff, padded, accumulate);
        float[] w = b.data();
        int q = 0; // the next vector of w to read: w is read once, front to back
        int p = 0;
        for (; p + BAND_ROWS <= k; p += BAND_ROWS) {
            FloatVector a0 = FloatVector.broadcast(SPECIES, a[aOff + p]);
            FloatVector a1 = FloatVector.broadcast(SPECIES, a[aOff + p + 1]);
            FloatVector a2 = FloatVector.broadcast(SPECIES, a[aOff + p + 2]);
            FloatVector a3 = FloatVector.broadcast(SPECIES, a[aOff + p + 3]);
            FloatVector a4 = FloatVector.broadcast(SPECIES, a[aOff + p + 4]);
            FloatVector a5 = FloatVector.broadcast(SPECIES, a[aOff + p + 5]);
            FloatVector a6 = FloatVector.broadcast(SPECIES, a[aOff + p + 6]);
            FloatVector a7 = FloatVector.broadcast(SPECIES, a[aOff + p + 7]);
            for (int j = 0; j < padded; j += LANES, q += BAND_ROWS * LANES) {
                FloatVector sum = FloatVector.fromArray(SPECIES, sums, sOff + j);
                sum = a0.fma(FloatVector.fromArray(SPECIES, w, q), sum);
                sum = a1.fma(FloatVector.fromArray(SPECIES, w, q + LANES), sum);
                sum = a2.fma(FloatVector.fromArray(SPECIES, w, q + 2 * LANES), sum);
                sum = a3.fma(FloatVector.fromArray(SPECIES, w, q + 3 * LANES), sum);
                sum = a4.fma(FloatVector.fromArray(SPECIES, w, q + 4 * LANES), sum);
                sum = a5.fma(FloatVector.fromArray(SPECIES, w, q + 5 * LANES), sum);
                sum = a6.fma(FloatVector.fromArray(SPECIES, w, q + 6 * LANES), sum);
                sum = a7.fma(FloatVector.fromArray(SPECIES, w, q + 7 * LANES), sum);
                sum.intoArray(sums, sOff + j);
            }
        }
        // The last band's fewer rows, laid out the same way: each vector of c takes them in order.
        int height = k - p;
        if (height > 0) {
            for (int j = 0; j < padded; j += LANES, q += height * LANES) {
                FloatVector sum = FloatVector.fromArray(SPECIES, sums, sOff + j);
                for (int r = 0; r < height; r++) {
                    sum = FloatVector.broadcast(SPECIES, a[aOff + p + r])
                            .fma(FloatVector.fromArray(SPECIES, w, q + r * LANES), sum);
                }
                sum.intoArray(sums, sOff + j);
            }
        }
        if (sums != c) {
            System.arraycopy(sums, sOff, c, cOff, n);
        }
    }

    /**
     * Readies the sums of a row of C: c itself (zeroed unless accumulating) when n is whole
     * vectors; else {@code sums} at {@code sOff}, a copy of the row padded to whole vectors with
     * zeros (c's values first when accumulating). The padding columns of B are zero, and their sums
     * go no further than that copy; the caller copies its first n back.
     */
    private static void startSums(float[] c, int cOff, int n, float[] sums, int sOff, int padded,
                                  boolean accumulate) {
        if (sums == c) {
            if (!accumulate) {
                java.util.Arrays.fill(c, cOff, cOff + n, 0f);
            }
            return;
        }
        java.util.Arrays.fill(sums, sOff, sOff + padded, 0f);
        if (accumulate) {
            System.arraycopy(c, cOff, sums, sOff, n);
        }
    }

    /**
     * Rows a0 and a1 of A into rows c0 and c1 of C, a band of B per pass over both: each vector of
     * B loaded once for two FMAs. Sixteen broadcast elements, two sums and the loaded vector fit
     * AVX-512's 32 vector registers; on AVX2 some broadcasts live on the stack (loads from L1 beside
     * the loads of B from L2).
     */
    private static void twoRowsTimesMatrix(float[] a, int a0, int a1, GemvMatrix b, float[] c, int c0, int c1,
                                           boolean accumulate) {
        int k = b.rows();
        int n = b.columns();
        int padded = b.paddedColumns();
        float[] sums = padded == n ? c : VectorGemm.scratch(PADDED_SUMS, 2 * padded);
        int s0 = padded == n ? c0 : 0;
        int s1 = padded == n ? c1 : padded;
        startSums(c, c0, n, sums, s0, padded, accumulate);
        startSums(c, c1, n, sums, s1, padded, accumulate);
        float[] w = b.data();
        int q = 0;
        int p = 0;
        for (; p + BAND_ROWS <= k; p += BAND_ROWS) {
            FloatVector x0 = FloatVector.broadcast(SPECIES, a[a0 + p]);
            FloatVector x1 = FloatVector.broadcast(SPECIES, a[a0 + p + 1]);
            FloatVector x2 = FloatVector.broadcast(SPECIES, a[a0 + p + 2]);
            FloatVector x3 = FloatVector.broadcast(SPECIES, a[a0 + p + 3]);
            FloatVector x4 = FloatVector.broadcast(SPECIES, a[a0 + p + 4]);
            FloatVector x5 = FloatVector.broadcast(SPECIES, a[a0 + p + 5]);
            FloatVector x6 = FloatVector.broadcast(SPECIES, a[a0 + p + 6]);
            FloatVector x7 = FloatVector.broadcast(SPECIES, a[a0 + p + 7]);
            FloatVector y0 = FloatVector.broadcast(SPECIES, a[a1 + p]);
            FloatVector y1 = FloatVector.broadcast(SPECIES, a[a1 + p + 1]);
            FloatVector y2 = FloatVector.broadcast(SPECIES, a[a1 + p + 2]);
            FloatVector y3 = FloatVector.broadcast(SPECIES, a[a1 + p + 3]);
            FloatVector y4 = FloatVector.broadcast(SPECIES, a[a1 + p + 4]);
            FloatVector y5 = FloatVector.broadcast(SPECIES, a[a1 + p + 5]);
            FloatVector y6 = FloatVector.broadcast(SPECIES, a[a1 + p + 6]);
            FloatVector y7 = FloatVector.broadcast(SPECIES, a[a1 + p + 7]);
            for (int j = 0; j < padded; j += LANES, q += BAND_ROWS * LANES) {
                FloatVector sum0 = FloatVector.fromArray(SPECIES, sums, s0 + j);
                FloatVector sum1 = FloatVector.fromArray(SPECIES, sums, s1 + j);
                FloatVector v = FloatVector.fromArray(SPECIES, w, q);
                sum0 = x0.fma(v, sum0);
                sum1 = y0.fma(v, sum1);
                v = FloatVector.fromArray(SPECIES, w, q + LANES);
                sum0 = x1.fma(v, sum0);
                sum1 = y1.fma(v, sum1);
                v = FloatVector.fromArray(SPECIES, w, q + 2 * LANES);
                sum0 = x2.fma(v, sum0);
                sum1 = y2.fma(v, sum1);
                v = FloatVector.fromArray(SPECIES, w, q + 3 * LANES);
                sum0 = x3.fma(v, sum0);
                sum1 = y3.fma(v, sum1);
                v = FloatVector.fromArray(SPECIES, w, q + 4 * LANES);
                sum0 = x4.fma(v, sum0);
                sum1 = y4.fma(v, sum1);
                v = FloatVector.fromArray(SPECIES, w, q + 5 * LANES);
                sum0 = x5.fma(v, sum0);
                sum1 = y5.fma(v, sum1);
                v = FloatVector.fromArray(SPECIES, w, q + 6 * LANES);
                sum0 = x6.fma(v, sum0);
                sum1 = y6.fma(v, sum1);
                v = FloatVector.fromArray(SPECIES, w, q + 7 * LANES);
                sum0 = x7.fma(v, sum0);
                sum1 = y7.fma(v, sum1);
                sum0.intoArray(sums, s0 + j);
                sum1.intoArray(sums, s1 + j);
            }
        }
        int height = k - p;
        if (height > 0) {
            for (int j = 0; j < padded; j += LANES, q += height * LANES) {
                FloatVector sum0 = FloatVector.fromArray(SPECIES, sums, s0 + j);
                FloatVector sum1 = FloatVector.fromArray(SPECIES, sums, s1 + j);
                for (int r = 0; r < height; r++) {
                    FloatVector v = FloatVector.fromArray(SPECIES, w, q + r * LANES);
                    sum0 = FloatVector.broadcast(SPECIES, a[a0 + p + r]).fma(v, sum0);
                    sum1 = FloatVector.broadcast(SPECIES, a[a1 + p + r]).fma(v, sum1);
                }
                sum0.intoArray(sums, s0 + j);
                sum1.intoArray(sums, s1 + j);
            }
        }
        if (sums != c) {
            System.arraycopy(sums, s0, c, c0, n);
            System.arraycopy(sums, s1, c, c1, n);
        }
    }
}
