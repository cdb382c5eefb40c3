package dev.seq2seq.engine.kernels;

/** Matrix transposition, the one data movement the products need. */
public final class Transpose {
    private static final int BLOCK = 16;

    private Transpose() {
    }

    /**
     * dst[cols, rows] = src[rows, cols]^T, src with leading dimension {@code lds}, dst contiguous.
     * Done in 16 x 16 blocks (a plain double loop misses the cache on every write once a matrix
     * outgrows L1), each block copied row by row into a buffer and written out a row of dst at a
     * time, so that src and dst are both touched a cache line at a time. Written straight from
     * src, a block's 16 writes went to 16 lines of dst at once, and when dst's rows lie a power of
     * two apart (1,024 positions: an encoder of 16 steps and batch 64) those lines share one set of
     * the 8-way L1 and evicted each other: 2.3-3.6 ns an element, against 0.8-1.9 through the
     * buffer; at other shapes 0.8-2.0 against 0.75-1.4 (a Zen 3 core, JDK 17 and 25, src of 64 to
     * 3,776 rows by 93, 256 and 1,024 columns).
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
        // [row of the block][column of the block]: a kilobyte a call, against the hundreds a call moves
        float[] block = new float[BLOCK * BLOCK];
        for (int rb = 0; rb < rows; rb += BLOCK) {
            int height = Math.min(rows - rb, BLOCK);
            for (int cb = 0; cb < cols; cb += BLOCK) {
                int width = Math.min(cols - cb, BLOCK);
                for (int r = 0; r < height; r++) {
                    System.arraycopy(src, srcOff + (rb + r) * lds + cb, block, r * BLOCK, width);
                }
                writeTransposed(block, height, width, dst, dstOff + cb * ldd + rb, ldd);
            }
        }
    }

    /** dst[c * ldd + r] = block[r][c]: a column of the block to each row of dst, in one run. */
    private static void writeTransposed(float[] block, int height, int width, float[] dst, int dstOff, int ldd) {
        for (int c = 0; c < width; c++) {
            int to = dstOff + c * ldd;
            for (int r = 0; r < height; r++) {
                dst[to + r] = block[r * BLOCK + c];
            }
        }
    }

    /**
     * dst[cols, count] = the listed rows of src, transposed: dst[c * count + q] = src[rows[from + q] *
     * lds + c] for q < count (a weight gradient's A over the real positions of a padded batch). In
     * the same 16 x 16 blocks through a buffer as {@link #blocked}.
     */
    public static void blockedRows(float[] src, int lds, int[] rows, int from, int count, int cols, float[] dst) {
        float[] block = new float[BLOCK * BLOCK];
        for (int qb = 0; qb < count; qb += BLOCK) {
            int height = Math.min(count - qb, BLOCK);
            for (int cb = 0; cb < cols; cb += BLOCK) {
                int width = Math.min(cols - cb, BLOCK);
                for (int q = 0; q < height; q++) {
                    System.arraycopy(src, rows[from + qb + q] * lds + cb, block, q * BLOCK, width);
                }
                writeTransposed(block, height, width, dst, cb * count + qb, count);
            }
        }
    }
}
