package dev.seq2seq.engine.kernels;

/** Matrix transposition, the one data movement the products need. */
public final class Transpose {
    private static final int BLOCK = 16;

    private Transpose() {
    }

    /**
     * dst[cols, rows] = src[rows, cols]^T, src with leading dimension {@code lds}, dst contiguous.
     * Done in 16 x 16 blocks so that both the reads and the strided writes stay within a few cache
     * lines; a plain double loop misses the cache on every write once a matrix outgrows L1.
     */
    public static void blocked(float[] src, int srcOff, int lds, int rows, int cols, float[] dst, int dstOff) {
        blocked(src, srcOff, lds, rows, cols, dst, dstOff, rows);
    }

    /**
     * As {@link #blocked(float[], int, int, int, int, float[], int)} into a dst whose rows are
     * {@code ldd} apart: dst[c, r] at {@code dstOff + c * ldd + r} (a band of a larger transpose).
     */
    public static void blocked(float[] src, int srcOff, int lds, int rows, int cols, float[] dst, int dstOff,
                               int ldd) {
        for (int rb = 0; rb < rows; rb += BLOCK) {
            int rEnd = Math.min(rows, rb + BLOCK);
            for (int cb = 0; cb < cols; cb += BLOCK) {
                int cEnd = Math.min(cols, cb + BLOCK);
                for (int r = rb; r < rEnd; r++) {
                    int from = srcOff + r * lds;
                    for (int c = cb; c < cEnd; c++) {
                        dst[dstOff + c * ldd + r] = src[from + c];
                    }
                }
            }
        }
    }

    /**
     * dst[cols, count] = the listed rows of src, transposed: dst[c * count + q] = src[rows[from + q] *
     * lds + c] for q < count (a weight gradient's A over the real positions of a padded batch). In
     * the same 16 x 16 blocks as {@link #blocked}.
     */
    public static void blockedRows(float[] src, int lds, int[] rows, int from, int count, int cols, float[] dst) {
        for (int qb = 0; qb < count; qb += BLOCK) {
            int qEnd = Math.min(count, qb + BLOCK);
            for (int cb = 0; cb < cols; cb += BLOCK) {
                int cEnd = Math.min(cols, cb + BLOCK);
                for (int q = qb; q < qEnd; q++) {
                    int row = rows[from + q] * lds;
                    for (int c = cb; c < cEnd; c++) {
                        dst[c * count + q] = src[row + c];
                    }
                }
            }
        }
    }
}
