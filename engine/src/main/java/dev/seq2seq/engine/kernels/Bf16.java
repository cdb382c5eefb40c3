package dev.seq2seq.engine.kernels;

/**
 * bfloat16: the upper 16 bits of a float32 (sign, the same 8 exponent bits, 7 of the 23 mantissa
 * bits), kept in a {@code short}. Widening back to float32 is exact (the low 16 bits become zero),
 * so a product over bf16 weights is a float32 product over weights rounded to 8 significant bits.
 *
 * <p>Why: a decoding step for one sentence multiplies one row by U [H, 4H] and the output layer,
 * and is bound by reading them from cache (BENCHMARKS.md): half the bytes can be read in about
 * half the time. {@link Kernels#rowTimesBf16Matrix} is that product, over a matrix laid out by
 * {@link #pairs}.
 */
public final class Bf16 {
    private Bf16() {
    }

    /**
     * The nearest bf16 to {@code x}, ties to the even one (IEEE's default rounding, as PyTorch's
     * {@code tensor.to(torch.bfloat16)}); a NaN stays a NaN (a quiet one), infinities stay.
     */
    public static short round(float x) {
        int bits = Float.floatToRawIntBits(x);
        if (Float.isNaN(x)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7FFF + lsb) >>> 16);
    }

    /** The float32 a bf16 stands for, exactly. */
    public static float widen(short value) {
        return Float.intBitsToFloat((value & 0xFFFF) << 16);
    }

    /** The ints a row of n columns takes in {@link #pairs}' layout: n / 2, rounded up. */
    public static int pairColumns(int n) {
        return (n + 1) / 2;
    }

    /**
     * n rounded up to a multiple of 32: a matrix stored with that many columns leaves none of
     * {@link Kernels#rowTimesBf16Matrix}'s vector kernel to its scalar loop, at any vector width
     * up to 512 bits (16 ints a vector, 2 columns an int).
     */
    public static int paddedColumns(int n) {
        return (n + 31) / 32 * 32;
    }

    /**
     * B [rows, n] (row-major from {@code offset}, leading dimension {@code ld}) rounded to bf16 and
     * stored with {@code columns} >= n columns, the ones past n zero, two weights to an int: row p
     * is h = {@link #pairColumns}(columns) ints, int j holding column j in its low half and column
     * h + j in its high half. Why this layout: a vector of ints then widens to two vectors of
     * floats by one shift (low halves) and one mask (high halves), each for h contiguous columns,
     * with no change of lane count, which the JIT compiles reliably; widening a vector of shorts to
     * ints it did not always (BENCHMARKS.md).
     */
    public static int[] pairs(float[] b, int offset, int ld, int rows, int n, int columns) {
        if (columns < n) {
            throw new IllegalArgumentException("bf16 pairs: " + columns + " columns cannot hold " + n);
        }
        int half = pairColumns(columns);
        int[] out = new int[rows * half];
        for (int p = 0; p < rows; p++) {
            for (int j = 0; j < half; j++) {
                out[p * half + j] = bits(b, offset + p * ld, j, n) | bits(b, offset + p * ld, half + j, n) << 16;
            }
        }
        return out;
    }

    /** Column {@code column} of the row at {@code row}, as bf16 bits in the low 16 bits of an int; 0 past column n. */
    private static int bits(float[] b, int row, int column, int n) {
        return column < n ? round(b[row + column]) & 0xFFFF : 0;
    }

    /** The weight in the low half of a pair, exactly. */
    public static float low(int pair) {
        return Float.intBitsToFloat(pair << 16);
    }

    /** The weight in the high half of a pair, exactly. */
    public static float high(int pair) {
        return Float.intBitsToFloat(pair & 0xFFFF0000);
    }
}
