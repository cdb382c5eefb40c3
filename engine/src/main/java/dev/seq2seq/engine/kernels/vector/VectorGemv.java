package dev.seq2seq.engine.kernels.vector;

import static dev.seq2seq.engine.kernels.vector.VectorWidth.LANES;
import static dev.seq2seq.engine.kernels.vector.VectorWidth.SPECIES;

import dev.seq2seq.engine.kernels.GemvMatrix;
import jdk.incubator.vector.FloatVector;

/**
 * One row times a matrix in the {@link GemvMatrix} layout
 * ({@link dev.seq2seq.engine.kernels.Kernels#rowTimesGemvMatrix}): c[0, n) (+)= a . B, a band of
 * {@link #BAND_ROWS} rows of B per pass over c, as {@link VectorGemm#rowTimesMatrix} takes eight
 * rows of B itself per pass, and with the same FMAs in the same order (each element summed p = 0,
 * 1, ..., one FMA each): the same bits. What changes is where the rows of a pass lie: one after
 * the other for each vector of c, so that a pass reads the matrix front to back, in one stream.
 * The rows of a band are written out one by one: vectors handed to a helper method were boxed
 * (see VectorGemm).
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

    static void rowTimesMatrix(float[] a, int aOff, GemvMatrix b, float[] c, int cOff, boolean accumulate) {
        if (b.lanes() != LANES || b.bandRows() != BAND_ROWS) {
            throw new IllegalArgumentException("a matrix laid out in bands of " + b.bandRows() + " rows and groups of "
                    + b.lanes() + " columns, where this kernel reads " + BAND_ROWS + " and " + LANES
                    + ": lay it out with the same backend's packForGemv");
        }
        int k = b.rows();
        int n = b.columns();
        int padded = b.paddedColumns();
        // The padding columns of B are zero; their sums go to a padded copy of c and no further.
        float[] sums = c;
        int sOff = cOff;
        if (padded != n) {
            sums = VectorGemm.scratch(PADDED_SUMS, padded);
            sOff = 0;
            java.util.Arrays.fill(sums, 0, padded, 0f);
            if (accumulate) {
                System.arraycopy(c, cOff, sums, 0, n);
            }
        } else if (!accumulate) {
            java.util.Arrays.fill(c, cOff, cOff + n, 0f);
        }
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
            System.arraycopy(sums, 0, c, cOff, n);
        }
    }
}
