package dev.seq2seq.engine.kernels.vector;

import static dev.seq2seq.engine.kernels.vector.VectorWidth.LANES;
import static dev.seq2seq.engine.kernels.vector.VectorWidth.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * The micro-kernels of {@link VectorGemm}: each computes one tile of C = A . B (rows x vectors of
 * columns) with its accumulators held in registers for the whole k loop. At every step p a tile
 * loads its vectors of row p of B, broadcasts one element of A per row and issues one FMA per
 * accumulator, so each output element is the sum over p = 0, 1, ... in order, one FMA each,
 * whichever tile computes it.
 *
 * <p>A is read at a[row * aRs + p * aCs] (so a transposed A costs nothing), B at b[p * ldb + column],
 * C at c[row * ldc + column]. With {@code accumulate} the tile adds to C, otherwise overwrites it.
 *
 * <p>The wide tiles (6 x 4 vectors: 24 accumulators, 4 vectors of B and a broadcast = 29 of the 32
 * registers of AVX-512) issue 24 FMAs per 4 loads and 6 broadcasts; the 4 x 3 tile (12 + 3 + 1 = 16
 * registers, what AVX2 has) issues 12 per 3 loads and 4 broadcasts. On AVX-512 the wide tile
 * measured about 25% faster on the gate shapes. 6 x 3 serves 3-vector strips on AVX-512; 4 x 4,
 * 1 x 4, 1 x 3, 4 x 1 and 1 x 1 take the rows and columns left over. Products over packed strips
 * have tiles of their own ({@link PackedGemmTiles}).
 *
 * <p>The tiles are written out one method per shape, each accumulator a local variable of its own:
 * that is what lets the JIT keep them in registers for the whole loop (an array of accumulators,
 * or a loop over them, ends up in memory), so the methods repeat each other's pattern on purpose.
 */
final class GemmTiles {
    private GemmTiles() {
    }

    /** A tile's accumulator at its start: C's vector when accumulating, else zeros (also the packed tiles'). */
    static FloatVector start(float[] c, int at, boolean accumulate) {
        return accumulate ? FloatVector.fromArray(SPECIES, c, at) : FloatVector.zero(SPECIES);
    }

    /** C[6, 4 vectors] at c0 (+)= A rows starting at a0 . B columns starting at b0. */
    static void tile6x4(float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
                        float[] c, int c0, int ldc, int k, boolean accumulate) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
        int c5 = c4 + ldc;
        FloatVector c00 = start(c, c0, accumulate);
        FloatVector c01 = start(c, c0 + LANES, accumulate);
        FloatVector c02 = start(c, c0 + 2 * LANES, accumulate);
        FloatVector c03 = start(c, c0 + 3 * LANES, accumulate);
        FloatVector c10 = start(c, c1, accumulate);
        FloatVector c11 = start(c, c1 + LANES, accumulate);
        FloatVector c12 = start(c, c1 + 2 * LANES, accumulate);
        FloatVector c13 = start(c, c1 + 3 * LANES, accumulate);
        FloatVector c20 = start(c, c2, accumulate);
        FloatVector c21 = start(c, c2 + LANES, accumulate);
        FloatVector c22 = start(c, c2 + 2 * LANES, accumulate);
        FloatVector c23 = start(c, c2 + 3 * LANES, accumulate);
        FloatVector c30 = start(c, c3, accumulate);
        FloatVector c31 = start(c, c3 + LANES, accumulate);
        FloatVector c32 = start(c, c3 + 2 * LANES, accumulate);
        FloatVector c33 = start(c, c3 + 3 * LANES, accumulate);
        FloatVector c40 = start(c, c4, accumulate);
        FloatVector c41 = start(c, c4 + LANES, accumulate);
        FloatVector c42 = start(c, c4 + 2 * LANES, accumulate);
        FloatVector c43 = start(c, c4 + 3 * LANES, accumulate);
        FloatVector c50 = start(c, c5, accumulate);
        FloatVector c51 = start(c, c5 + LANES, accumulate);
        FloatVector c52 = start(c, c5 + 2 * LANES, accumulate);
        FloatVector c53 = start(c, c5 + 3 * LANES, accumulate);
        int a1 = a0 + aRs;
        int a2 = a1 + aRs;
        int a3 = a2 + aRs;
        int a4 = a3 + aRs;
        int a5 = a4 + aRs;
        for (int p = 0, bp = b0, ap = 0; p < k; p++, bp += ldb, ap += aCs) {
            FloatVector b0v = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1v = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector b2v = FloatVector.fromArray(SPECIES, b, bp + 2 * LANES);
            FloatVector b3v = FloatVector.fromArray(SPECIES, b, bp + 3 * LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + ap]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            c02 = av.fma(b2v, c02);
            c03 = av.fma(b3v, c03);
            av = FloatVector.broadcast(SPECIES, a[a1 + ap]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            c12 = av.fma(b2v, c12);
            c13 = av.fma(b3v, c13);
            av = FloatVector.broadcast(SPECIES, a[a2 + ap]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            c22 = av.fma(b2v, c22);
            c23 = av.fma(b3v, c23);
            av = FloatVector.broadcast(SPECIES, a[a3 + ap]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            c32 = av.fma(b2v, c32);
            c33 = av.fma(b3v, c33);
            av = FloatVector.broadcast(SPECIES, a[a4 + ap]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            c42 = av.fma(b2v, c42);
            c43 = av.fma(b3v, c43);
            av = FloatVector.broadcast(SPECIES, a[a5 + ap]);
            c50 = av.fma(b0v, c50);
            c51 = av.fma(b1v, c51);
            c52 = av.fma(b2v, c52);
            c53 = av.fma(b3v, c53);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + LANES);
        c02.intoArray(c, c0 + 2 * LANES);
        c03.intoArray(c, c0 + 3 * LANES);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + LANES);
        c12.intoArray(c, c1 + 2 * LANES);
        c13.intoArray(c, c1 + 3 * LANES);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + LANES);
        c22.intoArray(c, c2 + 2 * LANES);
        c23.intoArray(c, c2 + 3 * LANES);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + LANES);
        c32.intoArray(c, c3 + 2 * LANES);
        c33.intoArray(c, c3 + 3 * LANES);
        c40.intoArray(c, c4);
        c41.intoArray(c, c4 + LANES);
        c42.intoArray(c, c4 + 2 * LANES);
        c43.intoArray(c, c4 + 3 * LANES);
        c50.intoArray(c, c5);
        c51.intoArray(c, c5 + LANES);
        c52.intoArray(c, c5 + 2 * LANES);
        c53.intoArray(c, c5 + 3 * LANES);
    }

    /** C[6, 3 vectors] at c0 (+)= A rows starting at a0 . B columns starting at b0. */
    static void tile6x3(float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
                        float[] c, int c0, int ldc, int k, boolean accumulate) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
        int c5 = c4 + ldc;
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
        FloatVector c40 = start(c, c4, accumulate);
        FloatVector c41 = start(c, c4 + LANES, accumulate);
        FloatVector c42 = start(c, c4 + 2 * LANES, accumulate);
        FloatVector c50 = start(c, c5, accumulate);
        FloatVector c51 = start(c, c5 + LANES, accumulate);
        FloatVector c52 = start(c, c5 + 2 * LANES, accumulate);
        int a1 = a0 + aRs;
        int a2 = a1 + aRs;
        int a3 = a2 + aRs;
        int a4 = a3 + aRs;
        int a5 = a4 + aRs;
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
            av = FloatVector.broadcast(SPECIES, a[a4 + ap]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            c42 = av.fma(b2v, c42);
            av = FloatVector.broadcast(SPECIES, a[a5 + ap]);
            c50 = av.fma(b0v, c50);
            c51 = av.fma(b1v, c51);
            c52 = av.fma(b2v, c52);
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
        c40.intoArray(c, c4);
        c41.intoArray(c, c4 + LANES);
        c42.intoArray(c, c4 + 2 * LANES);
        c50.intoArray(c, c5);
        c51.intoArray(c, c5 + LANES);
        c52.intoArray(c, c5 + 2 * LANES);
    }

    /** C[4, 4 vectors] at c0 (+)= A rows starting at a0 . B columns starting at b0. */
    static void tile4x4(float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
                        float[] c, int c0, int ldc, int k, boolean accumulate) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        FloatVector c00 = start(c, c0, accumulate);
        FloatVector c01 = start(c, c0 + LANES, accumulate);
        FloatVector c02 = start(c, c0 + 2 * LANES, accumulate);
        FloatVector c03 = start(c, c0 + 3 * LANES, accumulate);
        FloatVector c10 = start(c, c1, accumulate);
        FloatVector c11 = start(c, c1 + LANES, accumulate);
        FloatVector c12 = start(c, c1 + 2 * LANES, accumulate);
        FloatVector c13 = start(c, c1 + 3 * LANES, accumulate);
        FloatVector c20 = start(c, c2, accumulate);
        FloatVector c21 = start(c, c2 + LANES, accumulate);
        FloatVector c22 = start(c, c2 + 2 * LANES, accumulate);
        FloatVector c23 = start(c, c2 + 3 * LANES, accumulate);
        FloatVector c30 = start(c, c3, accumulate);
        FloatVector c31 = start(c, c3 + LANES, accumulate);
        FloatVector c32 = start(c, c3 + 2 * LANES, accumulate);
        FloatVector c33 = start(c, c3 + 3 * LANES, accumulate);
        int a1 = a0 + aRs;
        int a2 = a1 + aRs;
        int a3 = a2 + aRs;
        for (int p = 0, bp = b0, ap = 0; p < k; p++, bp += ldb, ap += aCs) {
            FloatVector b0v = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1v = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector b2v = FloatVector.fromArray(SPECIES, b, bp + 2 * LANES);
            FloatVector b3v = FloatVector.fromArray(SPECIES, b, bp + 3 * LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + ap]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            c02 = av.fma(b2v, c02);
            c03 = av.fma(b3v, c03);
            av = FloatVector.broadcast(SPECIES, a[a1 + ap]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            c12 = av.fma(b2v, c12);
            c13 = av.fma(b3v, c13);
            av = FloatVector.broadcast(SPECIES, a[a2 + ap]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            c22 = av.fma(b2v, c22);
            c23 = av.fma(b3v, c23);
            av = FloatVector.broadcast(SPECIES, a[a3 + ap]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            c32 = av.fma(b2v, c32);
            c33 = av.fma(b3v, c33);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + LANES);
        c02.intoArray(c, c0 + 2 * LANES);
        c03.intoArray(c, c0 + 3 * LANES);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + LANES);
        c12.intoArray(c, c1 + 2 * LANES);
        c13.intoArray(c, c1 + 3 * LANES);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + LANES);
        c22.intoArray(c, c2 + 2 * LANES);
        c23.intoArray(c, c2 + 3 * LANES);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + LANES);
        c32.intoArray(c, c3 + 2 * LANES);
        c33.intoArray(c, c3 + 3 * LANES);
    }

    /** C[1, 4 vectors] at c0 (+)= A rows starting at a0 . B columns starting at b0. */
    static void tile1x4(float[] a, int a0, int aCs, float[] b, int b0, int ldb,
                        float[] c, int c0, int k, boolean accumulate) {
        FloatVector c00 = start(c, c0, accumulate);
        FloatVector c01 = start(c, c0 + LANES, accumulate);
        FloatVector c02 = start(c, c0 + 2 * LANES, accumulate);
        FloatVector c03 = start(c, c0 + 3 * LANES, accumulate);
        for (int p = 0, bp = b0, ap = a0; p < k; p++, bp += ldb, ap += aCs) {
            FloatVector b0v = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1v = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector b2v = FloatVector.fromArray(SPECIES, b, bp + 2 * LANES);
            FloatVector b3v = FloatVector.fromArray(SPECIES, b, bp + 3 * LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            c02 = av.fma(b2v, c02);
            c03 = av.fma(b3v, c03);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + LANES);
        c02.intoArray(c, c0 + 2 * LANES);
        c03.intoArray(c, c0 + 3 * LANES);
    }

    /** C[4, 3 vectors] at c0 (+)= A rows starting at a0 . B columns starting at b0. */
    static void tile4x3(float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
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
    static void tile1x3(float[] a, int a0, int aCs, float[] b, int b0, int ldb,
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
    static void tile4x1(float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
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
    static void tile1x1(float[] a, int a0, int aCs, float[] b, int b0, int ldb,
                                float[] c, int c0, int k, boolean accumulate) {
        FloatVector cv = start(c, c0, accumulate);
        for (int p = 0, bp = b0, ap = a0; p < k; p++, bp += ldb, ap += aCs) {
            cv = FloatVector.broadcast(SPECIES, a[ap]).fma(FloatVector.fromArray(SPECIES, b, bp), cv);
        }
        cv.intoArray(c, c0);
    }
}
