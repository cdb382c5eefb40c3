package dev.seq2seq.engine.kernels.vector;

import static dev.seq2seq.engine.kernels.vector.VectorWidth.LANES;
import static dev.seq2seq.engine.kernels.vector.VectorWidth.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * The micro-kernels {@link VectorGemm} uses on a CPU with 16 vector registers (AVX2): tiles of
 * 2 vectors of columns, as {@link GemmTiles}' are of 3 or 4. The same contract: each output
 * element is the sum over p = 0, 1, ... in order, one FMA each, so which tile computes an element
 * changes none of its bits.
 *
 * <p>Why 6 x 2 there and not 4 x 3, which also has 12 accumulators: a 4 x 3 tile needs all 16
 * registers (12 accumulators, 3 vectors of B, a broadcast), and the JIT's code for it stored two
 * accumulators to the stack and loaded them back at every step of the k loop, each a
 * store-to-load round trip inside an FMA chain. On an AVX2 EPYC (Zen 3) the 4 x 3 tile
 * ran the gate shape 64 x 256 x 1024 at about 41% of one core's FMA ceiling, 6 x 2 (12
 * accumulators, 2 vectors of B, a broadcast: 15 registers) at about 61% (a stand-alone loop over
 * the tiles, best of 300 calls, several rounds).
 *
 * <p>Written out one method per shape, each accumulator a local of its own, for the reason
 * {@link GemmTiles} gives.
 */
final class NarrowGemmTiles {
    private NarrowGemmTiles() {
    }

    private static FloatVector start(float[] c, int at, boolean accumulate) {
        return accumulate ? FloatVector.fromArray(SPECIES, c, at) : FloatVector.zero(SPECIES);
    }

    /** C[6, 2 vectors] at c0 (+)= A rows starting at a0 . B columns starting at b0. */
    static void tile6x2(float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
                        float[] c, int c0, int ldc, int k, boolean accumulate) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
        int c5 = c4 + ldc;
        FloatVector c00 = start(c, c0, accumulate);
        FloatVector c01 = start(c, c0 + LANES, accumulate);
        FloatVector c10 = start(c, c1, accumulate);
        FloatVector c11 = start(c, c1 + LANES, accumulate);
        FloatVector c20 = start(c, c2, accumulate);
        FloatVector c21 = start(c, c2 + LANES, accumulate);
        FloatVector c30 = start(c, c3, accumulate);
        FloatVector c31 = start(c, c3 + LANES, accumulate);
        FloatVector c40 = start(c, c4, accumulate);
        FloatVector c41 = start(c, c4 + LANES, accumulate);
        FloatVector c50 = start(c, c5, accumulate);
        FloatVector c51 = start(c, c5 + LANES, accumulate);
        int a1 = a0 + aRs;
        int a2 = a1 + aRs;
        int a3 = a2 + aRs;
        int a4 = a3 + aRs;
        int a5 = a4 + aRs;
        for (int p = 0, bp = b0, ap = 0; p < k; p++, bp += ldb, ap += aCs) {
            FloatVector b0v = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1v = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + ap]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + ap]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + ap]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + ap]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            av = FloatVector.broadcast(SPECIES, a[a4 + ap]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(SPECIES, a[a5 + ap]);
            c50 = av.fma(b0v, c50);
            c51 = av.fma(b1v, c51);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + LANES);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + LANES);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + LANES);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + LANES);
        c40.intoArray(c, c4);
        c41.intoArray(c, c4 + LANES);
        c50.intoArray(c, c5);
        c51.intoArray(c, c5 + LANES);
    }

    /** Four rows by 2 vectors: what is left of a 2-vector strip's rows after its 6-row tiles. */
    static void tile4x2(float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
                        float[] c, int c0, int ldc, int k, boolean accumulate) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        FloatVector c00 = start(c, c0, accumulate);
        FloatVector c01 = start(c, c0 + LANES, accumulate);
        FloatVector c10 = start(c, c1, accumulate);
        FloatVector c11 = start(c, c1 + LANES, accumulate);
        FloatVector c20 = start(c, c2, accumulate);
        FloatVector c21 = start(c, c2 + LANES, accumulate);
        FloatVector c30 = start(c, c3, accumulate);
        FloatVector c31 = start(c, c3 + LANES, accumulate);
        int a1 = a0 + aRs;
        int a2 = a1 + aRs;
        int a3 = a2 + aRs;
        for (int p = 0, bp = b0, ap = 0; p < k; p++, bp += ldb, ap += aCs) {
            FloatVector b0v = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1v = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + ap]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + ap]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + ap]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + ap]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + LANES);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + LANES);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + LANES);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + LANES);
    }

    /** One row by 2 vectors: the row edge. */
    static void tile1x2(float[] a, int a0, int aCs, float[] b, int b0, int ldb,
                        float[] c, int c0, int k, boolean accumulate) {
        FloatVector c00 = start(c, c0, accumulate);
        FloatVector c01 = start(c, c0 + LANES, accumulate);
        for (int p = 0, bp = b0, ap = 0; p < k; p++, bp += ldb, ap += aCs) {
            FloatVector b0v = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1v = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + ap]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + LANES);
    }
}
