package dev.seq2seq.engine.kernels.vector;

import static dev.seq2seq.engine.kernels.vector.VectorWidth.LANES;
import static dev.seq2seq.engine.kernels.vector.VectorWidth.SPECIES;

import dev.seq2seq.engine.kernels.PackedMatrix;
import dev.seq2seq.engine.kernels.Transpose;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;

/**
 * The transpositions the products make: A of a weight gradient's product
 * ({@link VectorPackedGemm#block} and {@link VectorPackedGemm#blockRows}: A = h^T, stored as h),
 * and the strips of a B packed from its transpose ({@link #packStrips}: a backward's U^T), with
 * square blocks as wide as a vector transposed in registers: the block's rows loaded as vectors, rounds of two-vector
 * shuffles, its columns stored as vectors. The same elements in the same places as
 * {@link Transpose}: a copy, no arithmetic.
 *
 * <p>Round d (d = 1, 2, 4, and 8 with 16 lanes) takes the vectors in pairs (2k, 2k + 1) and
 * interleaves them d lanes at a time: the lower halves' into vector k, the upper halves' into
 * vector k + SIDE / 2. After the last round vector j holds column {@link #COLUMN_OF_VECTOR}[j] of
 * the block (j's bits reversed), rows in order.
 *
 * <p>Used with 16 lanes (AVX-512) and 8 (AVX2) on JDK 25 or later. One thread, a 256 x 256 block
 * (a k block of dU's A), ns an element, JDK 25 on a Zen 5 core: 16 x 16 blocks 0.169 against
 * 0.55-0.56 for the scalar blocks of {@link Transpose}; with AVX2 only ({@code -XX:UseAVX=2}),
 * 8 x 8 blocks 0.331 against 0.565. JDK 17 does not compile two-vector shuffles into instructions
 * and ran the 16 x 16 blocks at 3.2-3.4 against 0.48, so there, and with 4 lanes,
 * {@link Transpose} does the work.
 *
 * <p>{@link #block16} and {@link #block8} name every vector of the block: in an array, or handed
 * to a helper, vectors are objects on the heap (see {@link VectorGemm}).
 */
final class VectorTranspose {
    /** The block's side: a vector's lanes when there are 16 or 8 of them; 0 otherwise. */
    static final int SIDE = LANES == 16 || LANES == 8 ? LANES : 0;

    /** Whether the blocks go through registers (else {@link Transpose}'s scalar blocks). */
    static final boolean IN_REGISTERS = SIDE > 0 && Runtime.version().feature() >= 25;

    /** log2(SIDE) rounds of shuffles. */
    private static final int ROUNDS = Integer.numberOfTrailingZeros(Math.max(SIDE, 1));

    /** The column of the block that vector j holds after the rounds: j's ROUNDS bits reversed. */
    private static final int[] COLUMN_OF_VECTOR = columnsOfVectors();

    /** Per round, the lanes of a pair's lower halves and of its upper halves; null without a SIDE. */
    private static final VectorShuffle<Float>[] LOWER = SIDE > 0 ? shuffles(0) : null;
    private static final VectorShuffle<Float>[] UPPER = SIDE > 0 ? shuffles(SIDE / 2) : null;

    private VectorTranspose() {
    }

    private static int[] columnsOfVectors() {
        int[] columns = new int[SIDE];
        for (int j = 0; j < SIDE; j++) {
            columns[j] = Integer.reverse(j) >>> (Integer.SIZE - ROUNDS);
        }
        return columns;
    }

    /**
     * Lane i of round d's result takes, in run i / (2d) of 2d lanes, lane {@code half + run * d + w}
     * of the first vector when w = i mod 2d is below d, else lane {@code half + run * d + w - d} of
     * the second (an index of SIDE or more names the second vector's lanes).
     */
    @SuppressWarnings("unchecked") // an array of a generic type: made and filled here, typed as declared
    private static VectorShuffle<Float>[] shuffles(int half) {
        VectorShuffle<Float>[] rounds = (VectorShuffle<Float>[]) new VectorShuffle<?>[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            int d = 1 << round;
            int[] lanes = new int[SIDE];
            for (int i = 0; i < SIDE; i++) {
                int run = i / (2 * d);
                int w = i % (2 * d);
                lanes[i] = w < d ? half + run * d + w : SIDE + half + run * d + w - d;
            }
            rounds[round] = VectorShuffle.fromValues(SPECIES, lanes);
        }
        return rounds;
    }

    /**
     * dst[c * ldd + r] = src[srcOff + r * lds + c] for r &lt; rows, c &lt; cols: what
     * {@link Transpose#blocked(float[], int, int, int, int, float[], int, int)} writes.
     */
    static void blocked(float[] src, int srcOff, int lds, int rows, int cols, float[] dst, int dstOff, int ldd) {
        if (!IN_REGISTERS) {
            Transpose.blocked(src, srcOff, lds, rows, cols, dst, dstOff, ldd);
            return;
        }
        inRegisters(src, srcOff, lds, null, 0, rows, cols, dst, dstOff, ldd);
    }

    /**
     * dst[c * count + q] = src[rows[from + q] * lds + c] for q &lt; count, c &lt; cols: what
     * {@link Transpose#blockedRows} writes.
     */
    static void blockedRows(float[] src, int lds, int[] rows, int from, int count, int cols, float[] dst) {
        if (!IN_REGISTERS) {
            Transpose.blockedRows(src, lds, rows, from, count, cols, dst);
            return;
        }
        inRegisters(src, 0, lds, rows, from, count, cols, dst, 0, count);
    }

    /**
     * Strips [fromStrip, toStrip) of {@code packed}, B = S^T with S [n, k] at
     * {@code s[sOff + j * lds + p]}: what {@link PackedMatrix#packStripsTransposed} writes. A whole
     * strip is S's rows [j, j + w) transposed, its rows w apart (a backward's packed U^T, every
     * pass); the last strip, padded, is left to that method. Through registers only when
     * {@code registers} ({@link #IN_REGISTERS}, or a test).
     */
    static void packStrips(PackedMatrix packed, float[] s, int sOff, int lds, int fromStrip, int toStrip,
                           boolean registers) {
        int width = packed.stripWidth();
        for (int strip = fromStrip; strip < toStrip; strip++) {
            int from = strip * width;
            if (!registers || from + width > packed.columns()) {
                packed.packStripsTransposed(s, sOff, lds, strip, strip + 1);
            } else {
                inRegisters(s, sOff + from * lds, lds, null, 0, width, packed.rows(), packed.data(),
                        packed.offset() + strip * packed.rows() * width, width);
            }
        }
    }

    /**
     * The transposition through registers whatever the JDK (the tests run it on JDK 17 too), for a
     * SIDE of 16 or 8: row q of the source at {@code srcOff + q * lds}, or at
     * {@code listed[from + q] * lds} when {@code listed} is not null; the rows and columns past the
     * last whole block one element at a time.
     */
    static void inRegisters(float[] src, int srcOff, int lds, int[] listed, int from, int rows, int cols,
                            float[] dst, int dstOff, int ldd) {
        int wholeRows = rows / SIDE * SIDE;
        int wholeCols = cols / SIDE * SIDE;
        int[] starts = new int[SIDE];
        for (int rb = 0; rb < wholeRows; rb += SIDE) {
            for (int r = 0; r < SIDE; r++) {
                starts[r] = rowStart(srcOff, lds, listed, from, rb + r);
            }
            for (int cb = 0; cb < wholeCols; cb += SIDE) {
                if (SIDE == 16) {
                    block16(src, starts, cb, dst, dstOff + cb * ldd + rb, ldd);
                } else {
                    block8(src, starts, cb, dst, dstOff + cb * ldd + rb, ldd);
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            int start = rowStart(srcOff, lds, listed, from, r);
            // the columns past the last whole block in every row; every column in the last rows
            for (int c = r < wholeRows ? wholeCols : 0; c < cols; c++) {
                dst[dstOff + c * ldd + r] = src[start + c];
            }
        }
    }

    private static int rowStart(int srcOff, int lds, int[] listed, int from, int row) {
        return listed == null ? srcOff + row * lds : listed[from + row] * lds;
    }

    /** One 16 x 16 block: rows at {@code starts[r] + column}, its column c to {@code dst[to + c * ldd]}. */
    private static void block16(float[] src, int[] starts, int column, float[] dst, int to, int ldd) {
        FloatVector v0 = FloatVector.fromArray(SPECIES, src, starts[0] + column);
        FloatVector v1 = FloatVector.fromArray(SPECIES, src, starts[1] + column);
        FloatVector v2 = FloatVector.fromArray(SPECIES, src, starts[2] + column);
        FloatVector v3 = FloatVector.fromArray(SPECIES, src, starts[3] + column);
        FloatVector v4 = FloatVector.fromArray(SPECIES, src, starts[4] + column);
        FloatVector v5 = FloatVector.fromArray(SPECIES, src, starts[5] + column);
        FloatVector v6 = FloatVector.fromArray(SPECIES, src, starts[6] + column);
        FloatVector v7 = FloatVector.fromArray(SPECIES, src, starts[7] + column);
        FloatVector v8 = FloatVector.fromArray(SPECIES, src, starts[8] + column);
        FloatVector v9 = FloatVector.fromArray(SPECIES, src, starts[9] + column);
        FloatVector v10 = FloatVector.fromArray(SPECIES, src, starts[10] + column);
        FloatVector v11 = FloatVector.fromArray(SPECIES, src, starts[11] + column);
        FloatVector v12 = FloatVector.fromArray(SPECIES, src, starts[12] + column);
        FloatVector v13 = FloatVector.fromArray(SPECIES, src, starts[13] + column);
        FloatVector v14 = FloatVector.fromArray(SPECIES, src, starts[14] + column);
        FloatVector v15 = FloatVector.fromArray(SPECIES, src, starts[15] + column);
        for (int round = 0; round < 4; round++) {
            VectorShuffle<Float> lower = LOWER[round];
            VectorShuffle<Float> upper = UPPER[round];
            FloatVector n0 = v0.rearrange(lower, v1);
            FloatVector n8 = v0.rearrange(upper, v1);
            FloatVector n1 = v2.rearrange(lower, v3);
            FloatVector n9 = v2.rearrange(upper, v3);
            FloatVector n2 = v4.rearrange(lower, v5);
            FloatVector n10 = v4.rearrange(upper, v5);
            FloatVector n3 = v6.rearrange(lower, v7);
            FloatVector n11 = v6.rearrange(upper, v7);
            FloatVector n4 = v8.rearrange(lower, v9);
            FloatVector n12 = v8.rearrange(upper, v9);
            FloatVector n5 = v10.rearrange(lower, v11);
            FloatVector n13 = v10.rearrange(upper, v11);
            FloatVector n6 = v12.rearrange(lower, v13);
            FloatVector n14 = v12.rearrange(upper, v13);
            FloatVector n7 = v14.rearrange(lower, v15);
            FloatVector n15 = v14.rearrange(upper, v15);
            v0 = n0;
            v1 = n1;
            v2 = n2;
            v3 = n3;
            v4 = n4;
            v5 = n5;
            v6 = n6;
            v7 = n7;
            v8 = n8;
            v9 = n9;
            v10 = n10;
            v11 = n11;
            v12 = n12;
            v13 = n13;
            v14 = n14;
            v15 = n15;
        }
        v0.intoArray(dst, to + COLUMN_OF_VECTOR[0] * ldd);
        v1.intoArray(dst, to + COLUMN_OF_VECTOR[1] * ldd);
        v2.intoArray(dst, to + COLUMN_OF_VECTOR[2] * ldd);
        v3.intoArray(dst, to + COLUMN_OF_VECTOR[3] * ldd);
        v4.intoArray(dst, to + COLUMN_OF_VECTOR[4] * ldd);
        v5.intoArray(dst, to + COLUMN_OF_VECTOR[5] * ldd);
        v6.intoArray(dst, to + COLUMN_OF_VECTOR[6] * ldd);
        v7.intoArray(dst, to + COLUMN_OF_VECTOR[7] * ldd);
        v8.intoArray(dst, to + COLUMN_OF_VECTOR[8] * ldd);
        v9.intoArray(dst, to + COLUMN_OF_VECTOR[9] * ldd);
        v10.intoArray(dst, to + COLUMN_OF_VECTOR[10] * ldd);
        v11.intoArray(dst, to + COLUMN_OF_VECTOR[11] * ldd);
        v12.intoArray(dst, to + COLUMN_OF_VECTOR[12] * ldd);
        v13.intoArray(dst, to + COLUMN_OF_VECTOR[13] * ldd);
        v14.intoArray(dst, to + COLUMN_OF_VECTOR[14] * ldd);
        v15.intoArray(dst, to + COLUMN_OF_VECTOR[15] * ldd);
    }

    /** One 8 x 8 block, as {@link #block16} (AVX2: three rounds). */
    private static void block8(float[] src, int[] starts, int column, float[] dst, int to, int ldd) {
        FloatVector v0 = FloatVector.fromArray(SPECIES, src, starts[0] + column);
        FloatVector v1 = FloatVector.fromArray(SPECIES, src, starts[1] + column);
        FloatVector v2 = FloatVector.fromArray(SPECIES, src, starts[2] + column);
        FloatVector v3 = FloatVector.fromArray(SPECIES, src, starts[3] + column);
        FloatVector v4 = FloatVector.fromArray(SPECIES, src, starts[4] + column);
        FloatVector v5 = FloatVector.fromArray(SPECIES, src, starts[5] + column);
        FloatVector v6 = FloatVector.fromArray(SPECIES, src, starts[6] + column);
        FloatVector v7 = FloatVector.fromArray(SPECIES, src, starts[7] + column);
        for (int round = 0; round < 3; round++) {
            VectorShuffle<Float> lower = LOWER[round];
            VectorShuffle<Float> upper = UPPER[round];
            FloatVector n0 = v0.rearrange(lower, v1);
            FloatVector n4 = v0.rearrange(upper, v1);
            FloatVector n1 = v2.rearrange(lower, v3);
            FloatVector n5 = v2.rearrange(upper, v3);
            FloatVector n2 = v4.rearrange(lower, v5);
            FloatVector n6 = v4.rearrange(upper, v5);
            FloatVector n3 = v6.rearrange(lower, v7);
            FloatVector n7 = v6.rearrange(upper, v7);
            v0 = n0;
            v1 = n1;
            v2 = n2;
            v3 = n3;
            v4 = n4;
            v5 = n5;
            v6 = n6;
            v7 = n7;
        }
        v0.intoArray(dst, to + COLUMN_OF_VECTOR[0] * ldd);
        v1.intoArray(dst, to + COLUMN_OF_VECTOR[1] * ldd);
        v2.intoArray(dst, to + COLUMN_OF_VECTOR[2] * ldd);
        v3.intoArray(dst, to + COLUMN_OF_VECTOR[3] * ldd);
        v4.intoArray(dst, to + COLUMN_OF_VECTOR[4] * ldd);
        v5.intoArray(dst, to + COLUMN_OF_VECTOR[5] * ldd);
        v6.intoArray(dst, to + COLUMN_OF_VECTOR[6] * ldd);
        v7.intoArray(dst, to + COLUMN_OF_VECTOR[7] * ldd);
    }
}
