package dev.seq2seq.engine.kernels.vector;

import static dev.seq2seq.engine.kernels.vector.VectorGemm.KC;
import static dev.seq2seq.engine.kernels.vector.VectorGemm.WIDE_TILES;
import static dev.seq2seq.engine.kernels.vector.VectorWidth.LANES;
import static dev.seq2seq.engine.kernels.vector.VectorWidth.SPECIES;

import dev.seq2seq.engine.kernels.PackedMatrix;
import jdk.incubator.vector.FloatVector;

/**
 * C[m,n] (+)= A[m,k] . B for a B packed in strips ({@link PackedMatrix}), one strip as wide as a
 * tile of {@link PackedGemmTiles}: 4 vectors with 32 registers (AVX-512), 2 with 16 (AVX2). Over
 * the same k blocks as {@link VectorGemm#gemm}, every element is the same sum, p = 0, 1, ..., one
 * FMA each: the bits of the product from B itself.
 */
final class VectorPackedGemm {
    /** The strip width of this backend's packed matrices: one tile's columns. */
    static final int STRIP_COLUMNS = (WIDE_TILES ? 4 : 2) * LANES;

    /**
     * Strips whose panels are filled together: 128 columns, a run of 512 bytes of each row of B
     * (8 strips on AVX2, 2 on AVX-512); their panels, 128 KiB for a block of 256 rows, stay in L2
     * beside A's block.
     */
    private static final int GROUP_STRIPS = Math.max(1, 128 / STRIP_COLUMNS);

    private static final ThreadLocal<float[]> LAST_STRIP = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> B_PANEL = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> A_ROWS = ThreadLocal.withInitial(() -> new float[0]);

    private VectorPackedGemm() {
    }

    static void gemm(float[] a, int aOff, int lda, PackedMatrix b, float[] c, int cOff, int ldc, int m,
                     boolean accumulate) {
        if (b.stripWidth() != STRIP_COLUMNS) {
            throw new IllegalArgumentException("a matrix packed in strips " + b.stripWidth() + " wide, where this"
                    + " backend reads strips " + STRIP_COLUMNS + " wide: pack it with the same kernels");
        }
        int k = b.rows();
        int n = b.columns();
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        // k blocks as in VectorGemm: a block of a strip (KC rows) stays in L1 while every row tile
        // passes over it; later blocks continue the sums held in C.
        for (int kb = 0; kb < k; kb += KC) {
            int depth = Math.min(KC, k - kb);
            boolean added = accumulate || kb > 0;
            for (int j = 0; j < n; j += STRIP_COLUMNS) {
                int stripBlock = b.offset() + (j / STRIP_COLUMNS * k + kb) * STRIP_COLUMNS;
                if (j + STRIP_COLUMNS <= n) {
                    strip(a, aOff + kb, lda, b.data(), stripBlock, c, cOff + j, ldc, m, depth, added);
                } else {
                    lastStrip(a, aOff + kb, lda, b.data(), stripBlock, c, cOff + j, ldc, m, depth, n - j, added);
                }
            }
        }
    }

    /**
     * One k block of C[m,n] (+)= A[m,k] . B[k,n] with B read from itself ({@link VectorGemm#gemm}
     * for products of many rows): the block's strips are packed into scratch panels first
     * ({@link #strips}), then every row tile reads its strip from there. The copy is one pass over
     * the block, paid back by the m / 6 tiles that each read a strip from L1 instead of from L2
     * through the checks on every load. A stored transposed (a weight gradient's h^T) is copied
     * row-major first, as the packed tiles read A's rows contiguously.
     */
    static void block(float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, int m, int k, int n, boolean accumulate) {
        float[] rowsOfA = a;
        int aStart = aOff;
        int lda = aRs;
        if (aCs != 1) {
            rowsOfA = VectorGemm.scratch(A_ROWS, m * k);
            aStart = 0;
            lda = k;
            if (aRs == 1) {
                VectorTranspose.blocked(a, aOff, aCs, k, m, rowsOfA, 0, k);
            } else {
                for (int i = 0; i < m; i++) {
                    for (int p = 0; p < k; p++) {
                        rowsOfA[i * k + p] = a[aOff + i * aRs + p * aCs];
                    }
                }
            }
        }
        strips(rowsOfA, aStart, lda, b, bOff, ldb, null, 0, c, cOff, ldc, m, k, n, accumulate);
    }

    /**
     * As {@link #block} for A^T B over {@code count} (at most {@link VectorGemm#KC}) listed rows,
     * {@code rows[from]} onwards: A's row r (m values) at {@code a[r * lda]}, B's at
     * {@code b[bOff + r * ldb]}, C accumulated. The copies block makes anyway (A transposed, B's
     * strips) gather the listed rows, so leaving rows out costs nothing: the tiles then run over
     * the listed rows only, in their order.
     */
    static void blockRows(float[] a, int lda, int[] rows, int from, int count, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, int m, int n) {
        float[] rowsOfA = VectorGemm.scratch(A_ROWS, m * count);
        VectorTranspose.blockedRows(a, lda, rows, from, count, m, rowsOfA);
        strips(rowsOfA, 0, count, b, bOff, ldb, rows, from, c, cOff, ldc, m, count, n, true);
    }

    /**
     * The strips of one k block: the k rows of B (rows p of B itself, or {@code rows[from + p]}
     * when rows is not null) copied into scratch panels {@link #GROUP_STRIPS} strips at a time,
     * then every row tile over each strip's panel. A row of B is copied for the whole group in one
     * run of its columns: copied one strip at a time, each row gave 64 bytes (AVX2) and the next
     * row lay a whole row of B away (32 KiB for the output layer of 8,000 words), so the copies
     * waited on the memory at every row.
     */
    private static void strips(float[] rowsOfA, int aStart, int lda, float[] b, int bOff, int ldb, int[] rows,
                               int from, float[] c, int cOff, int ldc, int m, int k, int n, boolean accumulate) {
        int fullStrips = n / STRIP_COLUMNS;
        int stripSize = k * STRIP_COLUMNS;
        float[] panels = VectorGemm.scratch(B_PANEL, Math.min(GROUP_STRIPS, Math.max(1, fullStrips)) * stripSize);
        for (int first = 0; first < fullStrips; first += GROUP_STRIPS) {
            int group = Math.min(GROUP_STRIPS, fullStrips - first);
            copyStrips(b, bOff + first * STRIP_COLUMNS, ldb, rows, from, panels, k, group);
            for (int s = 0; s < group; s++) {
                strip(rowsOfA, aStart, lda, panels, s * stripSize, c, cOff + (first + s) * STRIP_COLUMNS, ldc, m, k,
                        accumulate);
            }
        }
        int j = fullStrips * STRIP_COLUMNS;
        if (j < n) {
            int width = n - j;
            for (int p = 0; p < k; p++) {
                int source = bOff + (rows == null ? p : rows[from + p]) * ldb + j;
                System.arraycopy(b, source, panels, p * STRIP_COLUMNS, width);
                java.util.Arrays.fill(panels, p * STRIP_COLUMNS + width, (p + 1) * STRIP_COLUMNS, 0f);
            }
            lastStrip(rowsOfA, aStart, lda, panels, 0, c, cOff + j, ldc, m, k, width, accumulate);
        }
    }

    /**
     * Rows [0, k) of {@code group} adjacent strips of B from column {@code column} (B's rows p, or
     * {@code rows[from + p]}), each strip into its own panel of k rows {@code STRIP_COLUMNS} wide,
     * one after the other: a vector load and store each, a row of the group read front to back.
     */
    private static void copyStrips(float[] b, int column, int ldb, int[] rows, int from, float[] panels, int k,
                                   int group) {
        int stripSize = k * STRIP_COLUMNS;
        for (int p = 0; p < k; p++) {
            int source = column + (rows == null ? p : rows[from + p]) * ldb;
            int target = p * STRIP_COLUMNS;
            for (int s = 0; s < group; s++) {
                for (int q = 0; q < STRIP_COLUMNS; q += LANES) {
                    FloatVector.fromArray(SPECIES, b, source + s * STRIP_COLUMNS + q)
                            .intoArray(panels, s * stripSize + target + q);
                }
            }
        }
    }

    /**
     * All m rows of C by one strip: 6-row tiles, then one 5-row tile where five rows are left, else
     * 4-row tiles, then single rows. Each element is summed in the same order whatever its tile.
     */
    private static void strip(float[] a, int aOff, int lda, float[] b, int bOff, float[] c, int cOff, int ldc,
                              int m, int k, boolean accumulate) {
        if (!WIDE_TILES) {
            twoVectorStrip(a, aOff, lda, b, bOff, c, cOff, ldc, m, k, accumulate);
            return;
        }
        int i = 0;
        int sixRowEnd = 6 * VectorGemm.sixRowTiles(m);
        for (; i < sixRowEnd; i += 6) {
            PackedGemmTiles.tile6x4(a, aOff + i * lda, lda, b, bOff, c, cOff + i * ldc, ldc, k, accumulate);
        }
        if (m - i == 5) {
            PackedGemmTiles.tile5x4(a, aOff + i * lda, lda, b, bOff, c, cOff + i * ldc, ldc, k, accumulate);
            i += 5;
        }
        for (; i + 4 <= m; i += 4) {
            PackedGemmTiles.tile4x4(a, aOff + i * lda, lda, b, bOff, c, cOff + i * ldc, ldc, k, accumulate);
        }
        for (; i < m; i++) {
            PackedGemmTiles.tile1x4(a, aOff + i * lda, b, bOff, c, cOff + i * ldc, k, accumulate);
        }
    }

    /**
     * As {@link #strip} over the first two vectors of each row of the strip: the whole strip on
     * AVX2, and on AVX-512 a last strip whose real columns fit in half of it.
     */
    private static void twoVectorStrip(float[] a, int aOff, int lda, float[] b, int bOff, float[] c, int cOff,
                                       int ldc, int m, int k, boolean accumulate) {
        int i = 0;
        int sixRowEnd = 6 * VectorGemm.sixRowTiles(m);
        for (; i < sixRowEnd; i += 6) {
            PackedGemmTiles.tile6x2(a, aOff + i * lda, lda, b, bOff, c, cOff + i * ldc, ldc, k, accumulate);
        }
        if (m - i == 5) {
            PackedGemmTiles.tile5x2(a, aOff + i * lda, lda, b, bOff, c, cOff + i * ldc, ldc, k, accumulate);
            i += 5;
        }
        for (; i + 4 <= m; i += 4) {
            PackedGemmTiles.tile4x2(a, aOff + i * lda, lda, b, bOff, c, cOff + i * ldc, ldc, k, accumulate);
        }
        for (; i < m; i++) {
            PackedGemmTiles.tile1x2(a, aOff + i * lda, b, bOff, c, cOff + i * ldc, k, accumulate);
        }
    }

    /**
     * The last strip, {@code width} columns of C and zero padding in B: the tiles run on a copy of
     * those columns as wide as a strip, and only the real columns are copied back.
     */
    private static void lastStrip(float[] a, int aOff, int lda, float[] b, int bOff, float[] c, int cOff, int ldc,
                                  int m, int k, int width, boolean accumulate) {
        float[] sums = VectorGemm.scratch(LAST_STRIP, m * STRIP_COLUMNS);
        java.util.Arrays.fill(sums, 0, m * STRIP_COLUMNS, 0f);
        if (accumulate) {
            for (int i = 0; i < m; i++) {
                System.arraycopy(c, cOff + i * ldc, sums, i * STRIP_COLUMNS, width);
            }
        }
        // Starting from zeros is the same as not accumulating: fma(a, b, 0) rounds a b as the first
        // FMA of a fresh sum does.
        if (width <= 2 * LANES) {
            // The seed's output layer, 93 = 64 + 29 columns on AVX-512: a 4-vector strip would
            // multiply 35 columns of padding, half of the last strip's FMAs, for nothing
            twoVectorStrip(a, aOff, lda, b, bOff, sums, 0, STRIP_COLUMNS, m, k, true);
        } else {
            strip(a, aOff, lda, b, bOff, sums, 0, STRIP_COLUMNS, m, k, true);
        }
        for (int i = 0; i < m; i++) {
            System.arraycopy(sums, i * STRIP_COLUMNS, c, cOff + i * ldc, width);
        }
    }
}
