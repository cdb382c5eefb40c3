package dev.seq2seq.engine.kernels.vector;

import static dev.seq2seq.engine.kernels.vector.VectorWidth.LANES;
import static dev.seq2seq.engine.kernels.vector.VectorWidth.SPECIES;

import dev.seq2seq.engine.kernels.Transpose;
import jdk.incubator.vector.FloatVector;

/**
 * Matrix products with register-blocked micro-kernels.
 *
 * <p>{@link #gemm}: C[m,n] (+)= A[m,k] . B[k,n]. The output is cut into tiles of 4 rows by 3
 * vectors; a tile's 12 accumulators stay in registers for the whole k loop, where each step loads
 * 3 vectors of a row of B, broadcasts 4 elements of A and issues 12 fused multiply-adds. That ratio
 * (12 FMAs for 3 loads and 4 broadcasts) is what lets a kernel run near the FMA peak instead of
 * waiting on memory, as a one-dot-product-per-output kernel does. Edges use narrower tiles (1 row,
 * 1 vector) and a scalar tail. Every output element is summed in the same order (p = 0, 1, ...,
 * one FMA each) whichever tile computes it, so results do not depend on how rows are split
 * between threads.
 *
 * <p>The last columns, fewer than a vector, are computed by the same tiles on a zero-padded copy.
 * {@link #gemmTransB} (C = A . B^T) transposes B and calls {@link #gemm}.
 */
final class VectorGemm {
    /** Depth of a k block: 256 rows x 3 vectors of B = 48 KiB at 512 bits, well inside L2. */
    static final int KC = 256;

    private VectorGemm() {
    }

    static void gemm(float[] a, int aOff, int aRs, int aCs,
                     float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc,
                     int m, int k, int n, boolean accumulate) {
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        // Cut k into blocks, so that the block of B a column panel reads (KC rows x 3 vectors)
        // stays in cache while every row tile passes over it; without this a long k (a weight
        // gradient sums over all T * B positions) streams B from memory once per row tile. Later
        // blocks continue the sums held in C, so every element is still summed p = 0, 1, ... in
        // order: the blocking changes no result.
        for (int kb = 0; kb < k; kb += KC) {
            gemmBlock(a, aOff + kb * aCs, aRs, aCs, b, bOff + kb * ldb, ldb, c, cOff, ldc, m, Math.min(KC, k - kb), n,
                    accumulate || kb > 0);
        }
    }

    private static void gemmBlock(float[] a, int aOff, int aRs, int aCs,
                                  float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc,
                                  int m, int k, int n, boolean accumulate) {
        int j = 0;
        for (; j + 3 * LANES <= n; j += 3 * LANES) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                tile4x3(a, aOff + i * aRs, aRs, aCs, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, k, accumulate);
            }
            for (; i < m; i++) {
                tile1x3(a, aOff + i * aRs, aCs, b, bOff + j, ldb, c, cOff + i * ldc + j, k, accumulate);
            }
        }
        for (; j + LANES <= n; j += LANES) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                tile4x1(a, aOff + i * aRs, aRs, aCs, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, k, accumulate);
            }
            for (; i < m; i++) {
                tile1x1(a, aOff + i * aRs, aCs, b, bOff + j, ldb, c, cOff + i * ldc + j, k, accumulate);
            }
        }
        if (j < n) {
            edgeColumns(a, aOff, aRs, aCs, b, bOff + j, ldb, c, cOff + j, ldc, m, k, n - j, accumulate);
        }
    }

    private static final ThreadLocal<float[]> EDGE = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> TRANSPOSED = ThreadLocal.withInitial(() -> new float[0]);

    /** A per-thread scratch array of at least {@code size} floats. */
    private static float[] scratch(ThreadLocal<float[]> holder, int size) {
        float[] buffer = holder.get();
        if (buffer.length < size) {
            buffer = new float[size];
            holder.set(buffer);
        }
        return buffer;
    }

    /**
     * The last {@code width < LANES} columns: copied into a zero-padded panel one vector wide, so
     * the vector tiles run on them too (instead of a scalar loop 16 times slower), then copied back.
     * The sums are the same FMAs in the same order as in a full tile.
     */
    private static void edgeColumns(float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int ldb,
                                    float[] c, int cOff, int ldc, int m, int k, int width, boolean accumulate) {
        float[] edge = scratch(EDGE, (k + m) * LANES);
        int cEdge = k * LANES;
        java.util.Arrays.fill(edge, 0, (k + m) * LANES, 0f);
        for (int p = 0; p < k; p++) {
            System.arraycopy(b, bOff + p * ldb, edge, p * LANES, width);
        }
        if (accumulate) {
            for (int i = 0; i < m; i++) {
                System.arraycopy(c, cOff + i * ldc, edge, cEdge + i * LANES, width);
            }
        }
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            tile4x1(a, aOff + i * aRs, aRs, aCs, edge, 0, LANES, edge, cEdge + i * LANES, LANES, k, true);
        }
        for (; i < m; i++) {
            tile1x1(a, aOff + i * aRs, aCs, edge, 0, LANES, edge, cEdge + i * LANES, k, true);
        }
        for (i = 0; i < m; i++) {
            System.arraycopy(edge, cEdge + i * LANES, c, cOff + i * ldc, width);
        }
    }

    private static FloatVector start(float[] c, int at, boolean accumulate) {
        return accumulate ? FloatVector.fromArray(SPECIES, c, at) : FloatVector.zero(SPECIES);
    }

    /** C[4, 3 vectors] at c0 (+)= A rows starting at a0 . B columns starting at b0. */
    private static void tile4x3(float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
                                float[] c, int c0, int ldc, int k, boolean accumulate) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        FloatVector c00 = start(c, c0, accumulate);
        FloatVector c01 = start(c, c0 + LANES, accumulate);
        FloatVector c02 = start(c, c0 + 2 * LANES, accumulate);
        FloatVector c10 = start(c, c1, accumulate);
        FloatVector c11 = start(c, c1 + LANES, accumulate);
        FloatVector c12 = start(c, c1 + 2 * LANES, accumulate);
        FloatVector c20 = start(c, c2, accumulate);
        FloatVector c21 = start(c, c2 + LANES, accumulate);
        FloatVector c22 = start(c, c2 + 2 * LANES, accumulate);
        FloatVector c30 = start(c, c3, accumulate);
        FloatVector c31 = start(c, c3 + LANES, accumulate);
        FloatVector c32 = start(c, c3 + 2 * LANES, accumulate);
        int a1 = a0 + aRs;
        int a2 = a1 + aRs;
        int a3 = a2 + aRs;
        for (int p = 0, bp = b0, ap = 0; p < k; p++, bp += ldb, ap += aCs) {
            FloatVector b0v = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1v = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector b2v = FloatVector.fromArray(SPECIES, b, bp + 2 * LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + ap]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            c02 = av.fma(b2v, c02);
            av = FloatVector.broadcast(SPECIES, a[a1 + ap]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            c12 = av.fma(b2v, c12);
            av = FloatVector.broadcast(SPECIES, a[a2 + ap]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            c22 = av.fma(b2v, c22);
            av = FloatVector.broadcast(SPECIES, a[a3 + ap]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            c32 = av.fma(b2v, c32);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + LANES);
        c02.intoArray(c, c0 + 2 * LANES);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + LANES);
        c12.intoArray(c, c1 + 2 * LANES);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + LANES);
        c22.intoArray(c, c2 + 2 * LANES);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + LANES);
        c32.intoArray(c, c3 + 2 * LANES);
    }

    /** One row by 3 vectors: the row edge of {@link #tile4x3}. */
    private static void tile1x3(float[] a, int a0, int aCs, float[] b, int b0, int ldb,
                                float[] c, int c0, int k, boolean accumulate) {
        FloatVector c00 = start(c, c0, accumulate);
        FloatVector c01 = start(c, c0 + LANES, accumulate);
        FloatVector c02 = start(c, c0 + 2 * LANES, accumulate);
        for (int p = 0, bp = b0, ap = a0; p < k; p++, bp += ldb, ap += aCs) {
            FloatVector av = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = av.fma(FloatVector.fromArray(SPECIES, b, bp), c00);
            c01 = av.fma(FloatVector.fromArray(SPECIES, b, bp + LANES), c01);
            c02 = av.fma(FloatVector.fromArray(SPECIES, b, bp + 2 * LANES), c02);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + LANES);
        c02.intoArray(c, c0 + 2 * LANES);
    }

    /** Four rows by one vector: the column edge. */
    private static void tile4x1(float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
                                float[] c, int c0, int ldc, int k, boolean accumulate) {
        FloatVector c0v = start(c, c0, accumulate);
        FloatVector c1v = start(c, c0 + ldc, accumulate);
        FloatVector c2v = start(c, c0 + 2 * ldc, accumulate);
        FloatVector c3v = start(c, c0 + 3 * ldc, accumulate);
        for (int p = 0, bp = b0, ap = a0; p < k; p++, bp += ldb, ap += aCs) {
            FloatVector bv = FloatVector.fromArray(SPECIES, b, bp);
            c0v = FloatVector.broadcast(SPECIES, a[ap]).fma(bv, c0v);
            c1v = FloatVector.broadcast(SPECIES, a[ap + aRs]).fma(bv, c1v);
            c2v = FloatVector.broadcast(SPECIES, a[ap + 2 * aRs]).fma(bv, c2v);
            c3v = FloatVector.broadcast(SPECIES, a[ap + 3 * aRs]).fma(bv, c3v);
        }
        c0v.intoArray(c, c0);
        c1v.intoArray(c, c0 + ldc);
        c2v.intoArray(c, c0 + 2 * ldc);
        c3v.intoArray(c, c0 + 3 * ldc);
    }

    /** One row by one vector: the corner. */
    private static void tile1x1(float[] a, int a0, int aCs, float[] b, int b0, int ldb,
                                float[] c, int c0, int k, boolean accumulate) {
        FloatVector cv = start(c, c0, accumulate);
        for (int p = 0, bp = b0, ap = a0; p < k; p++, bp += ldb, ap += aCs) {
            cv = FloatVector.broadcast(SPECIES, a[ap]).fma(FloatVector.fromArray(SPECIES, b, bp), cv);
        }
        cv.intoArray(c, c0);
    }

    // ---------------------------------------------------------------- A . B^T

    /**
     * C[m,n] (+)= A[m,k] . B[n,k]^T: B is transposed into a [k, n] scratch panel (n k moves
     * against m n k multiply-adds), then the register-blocked {@link #gemm} does the work. A
     * caller that multiplies by the same B^T many times (the recurrences' backward) transposes
     * it once itself and calls gemm.
     */
    static void gemmTransB(float[] a, int aOff, int lda,
                           float[] b, int bOff, int ldb,
                           float[] c, int cOff, int ldc,
                           int m, int k, int n, boolean accumulate) {
        float[] transposed = scratch(TRANSPOSED, k * n);
        Transpose.blocked(b, bOff, ldb, n, k, transposed, 0);
        gemm(a, aOff, lda, 1, transposed, 0, n, c, cOff, ldc, m, k, n, accumulate);
    }
}
