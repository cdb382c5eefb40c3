package dev.seq2seq.engine.kernels.vector;

import static dev.seq2seq.engine.kernels.vector.GemmTiles.start;
import static dev.seq2seq.engine.kernels.vector.VectorPackedGemm.STRIP_COLUMNS;
import static dev.seq2seq.engine.kernels.vector.VectorWidth.LANES;
import static dev.seq2seq.engine.kernels.vector.VectorWidth.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * The tiles of {@link VectorPackedGemm}: 6 x 4 vectors on AVX-512, 6 x 2 on AVX2, with their
 * 5-row, 4-row and single-row edges; each output element the same FMAs in the same order as in
 * {@link GemmTiles}, so the same bits. On AVX2, 6 x 2 (12 accumulators, 2 vectors of B and a
 * broadcast: 15 registers) rather than 4 x 3 (all 16): in a stand-alone loop over packed strips
 * on a Zen 3 core, 6 x 2 ran at about 80 GFLOP/s and 4 x 3 at about 41, its compiled loop storing
 * two accumulators to the stack and loading them back at every step.
 *
 * <p>They are specialised for a packed B and a row-major A. B's rows are
 * {@link VectorPackedGemm#STRIP_COLUMNS} apart, a constant, and A's elements 1 apart, so every
 * index in the k loop is a constant multiple of p plus a loop-invariant offset: the JIT can then
 * prove all the loop's loads in bounds before it starts and drop the checks from the loop (range
 * check elimination). The general tiles step their own indices by a stride known only at run
 * time, which keeps it from doing so: on an AVX2 EPYC (Zen 3), 6 x 2 tiles over packed strips
 * ran at 90-94 GFLOP/s on one core with these loops, against 76-79 written the general way and
 * 65-67 with p as the one index but the strides as arguments (best of 100 products of 60 x 256 x
 * 1024, alternated).
 *
 * <p>Written out one method per shape for the reason {@link GemmTiles} gives.
 */
final class PackedGemmTiles {
    /** The distance between two rows of a packed strip. */
    private static final int STRIP = STRIP_COLUMNS;

    private PackedGemmTiles() {
    }

    /** C[6, 4 vectors] at c0 (+)= 6 rows of A from a0 . the packed strip's block at b0 (AVX-512). */
    static void tile6x4(float[] a, int a0, int lda, float[] b, int b0, float[] c, int c0, int ldc, int k,
                        boolean accumulate) {
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
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        int a5 = a4 + lda;
        for (int p = 0; p < k; p++) {
            int bp = b0 + p * STRIP;
            FloatVector b0v = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1v = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector b2v = FloatVector.fromArray(SPECIES, b, bp + 2 * LANES);
            FloatVector b3v = FloatVector.fromArray(SPECIES, b, bp + 3 * LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            c02 = av.fma(b2v, c02);
            c03 = av.fma(b3v, c03);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            c12 = av.fma(b2v, c12);
            c13 = av.fma(b3v, c13);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            c22 = av.fma(b2v, c22);
            c23 = av.fma(b3v, c23);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            c32 = av.fma(b2v, c32);
            c33 = av.fma(b3v, c33);
            av = FloatVector.broadcast(SPECIES, a[a4 + p]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            c42 = av.fma(b2v, c42);
            c43 = av.fma(b3v, c43);
            av = FloatVector.broadcast(SPECIES, a[a5 + p]);
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

    /**
     * Five rows by a 4-vector strip: five rows (a beam of 5 for one sentence) read the strip once,
     * where a 4-row tile and a single row read it twice.
     */
    static void tile5x4(float[] a, int a0, int lda, float[] b, int b0, float[] c, int c0, int ldc, int k,
                        boolean accumulate) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
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
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        for (int p = 0; p < k; p++) {
            int bp = b0 + p * STRIP;
            FloatVector b0v = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1v = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector b2v = FloatVector.fromArray(SPECIES, b, bp + 2 * LANES);
            FloatVector b3v = FloatVector.fromArray(SPECIES, b, bp + 3 * LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            c02 = av.fma(b2v, c02);
            c03 = av.fma(b3v, c03);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            c12 = av.fma(b2v, c12);
            c13 = av.fma(b3v, c13);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            c22 = av.fma(b2v, c22);
            c23 = av.fma(b3v, c23);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            c32 = av.fma(b2v, c32);
            c33 = av.fma(b3v, c33);
            av = FloatVector.broadcast(SPECIES, a[a4 + p]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            c42 = av.fma(b2v, c42);
            c43 = av.fma(b3v, c43);
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
    }

    /** Four rows by a 4-vector strip. */
    static void tile4x4(float[] a, int a0, int lda, float[] b, int b0, float[] c, int c0, int ldc, int k,
                        boolean accumulate) {
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
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        for (int p = 0; p < k; p++) {
            int bp = b0 + p * STRIP;
            FloatVector b0v = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1v = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector b2v = FloatVector.fromArray(SPECIES, b, bp + 2 * LANES);
            FloatVector b3v = FloatVector.fromArray(SPECIES, b, bp + 3 * LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            c02 = av.fma(b2v, c02);
            c03 = av.fma(b3v, c03);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            c12 = av.fma(b2v, c12);
            c13 = av.fma(b3v, c13);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            c22 = av.fma(b2v, c22);
            c23 = av.fma(b3v, c23);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
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

    /** One row by a 4-vector strip. */
    static void tile1x4(float[] a, int a0, float[] b, int b0, float[] c, int c0, int k, boolean accumulate) {
        FloatVector c00 = start(c, c0, accumulate);
        FloatVector c01 = start(c, c0 + LANES, accumulate);
        FloatVector c02 = start(c, c0 + 2 * LANES, accumulate);
        FloatVector c03 = start(c, c0 + 3 * LANES, accumulate);
        for (int p = 0; p < k; p++) {
            int bp = b0 + p * STRIP;
            FloatVector b0v = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1v = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector b2v = FloatVector.fromArray(SPECIES, b, bp + 2 * LANES);
            FloatVector b3v = FloatVector.fromArray(SPECIES, b, bp + 3 * LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
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

    /**
     * C[6, 2 vectors] at c0 (+)= 6 rows of A from a0 . the packed strip's block at b0 (AVX2; on
     * AVX-512, the first half of a last strip whose real columns fit there).
     */
    static void tile6x2(float[] a, int a0, int lda, float[] b, int b0, float[] c, int c0, int ldc, int k,
                        boolean accumulate) {
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
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        int a5 = a4 + lda;
        for (int p = 0; p < k; p++) {
            int bp = b0 + p * STRIP;
            FloatVector b0v = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1v = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            av = FloatVector.broadcast(SPECIES, a[a4 + p]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(SPECIES, a[a5 + p]);
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

    /** Five rows by a 2-vector strip (see {@link #tile5x4}). */
    static void tile5x2(float[] a, int a0, int lda, float[] b, int b0, float[] c, int c0, int ldc, int k,
                        boolean accumulate) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
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
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        for (int p = 0; p < k; p++) {
            int bp = b0 + p * STRIP;
            FloatVector b0v = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1v = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            av = FloatVector.broadcast(SPECIES, a[a4 + p]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
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
    }

    /** Four rows by a 2-vector strip. */
    static void tile4x2(float[] a, int a0, int lda, float[] b, int b0, float[] c, int c0, int ldc, int k,
                        boolean accumulate) {
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
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        for (int p = 0; p < k; p++) {
            int bp = b0 + p * STRIP;
            FloatVector b0v = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1v = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
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

    /** One row by a 2-vector strip. */
    static void tile1x2(float[] a, int a0, float[] b, int b0, float[] c, int c0, int k, boolean accumulate) {
        FloatVector c00 = start(c, c0, accumulate);
        FloatVector c01 = start(c, c0 + LANES, accumulate);
        for (int p = 0; p < k; p++) {
            int bp = b0 + p * STRIP;
            FloatVector b0v = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1v = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + LANES);
    }
}
