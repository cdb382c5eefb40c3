package dev.seq2seq.engine.kernels.vector;

import static dev.seq2seq.engine.kernels.vector.VectorWidth.LANES;
import static dev.seq2seq.engine.kernels.vector.VectorWidth.SPECIES;

import dev.seq2seq.engine.kernels.Transpose;
import jdk.incubator.vector.FloatVector;

/**
 * Matrix products with register-blocked micro-kernels ({@link GemmTiles}).
 *
 * <p>{@link #gemm}: C[m,n] (+)= A[m,k] . B[k,n]. The output is cut into tiles of 6 rows by 4
 * vectors where the CPU has 32 vector registers (AVX-512), else 4 rows by 3 vectors; a tile's
 * accumulators stay in registers for the whole k loop, where each step loads a row of B's strip,
 * broadcasts one element of A per row and issues one FMA per accumulator. That ratio (24 FMAs for
 * 4 loads and 6 broadcasts) is what lets a kernel run near the FMA peak instead of waiting on
 * memory, as a one-dot-product-per-output kernel does. Edges use narrower tiles (4 rows, 1 row,
 * 1 vector). A product of {@link #PACK_MIN_ROWS} rows or more reads B through packed strips
 * instead ({@link VectorPackedGemm#block}), 6 x 4 or 6 x 2 vectors a tile. Every output element
 * is summed in the same order (p = 0, 1, ..., one FMA each) whichever tile computes it, so results
 * do not depend on how rows are split between threads.
 *
 * <p>The last columns, fewer than a vector, are computed by the same tiles on a zero-padded copy.
 * {@link #gemmTransB} (C = A . B^T) transposes B and calls {@link #gemm}.
 */
final class VectorGemm {
    /** Depth of a k block: 256 rows x 4 vectors of B = 64 KiB at 512 bits, well inside L2. */
    static final int KC = 256;
    /**
     * Whether the 6 x 4 tiles are used: they need 29 vector registers, which AVX-512 has (32) and
     * AVX2 (16) has not. A 512-bit species means AVX-512; a narrower one, on such a machine, is
     * only chosen on request (tests and comparisons), and then the 4 x 3 tiles run.
     */
    static final boolean WIDE_TILES = SPECIES.vectorBitSize() >= 512;

    /**
     * From this many rows on, each k block's strips of B are packed before the tiles read them
     * ({@link VectorPackedGemm#block}): the copy is then spread over enough row tiles to pay. On
     * an AVX2 EPYC (Zen 3), one thread, the two ways alternated in one JVM: 64 rows gained 10-23%
     * (64 x 256 x 1024, 64 x 512 x 256, 64 x 256 x 256), 32 rows were even (33.5 against 34.4
     * GFLOP/s), 16 rows lost 28%.
     */
    static final int PACK_MIN_ROWS = 48;

    /**
     * Below this many rows there is no 4-row tile to fill, and each row is computed by
     * {@link #rowTimesMatrix} instead (a decoding step with batch 1 is such a product).
     */
    static final int GEMV_MAX_ROWS = 4;

    private VectorGemm() {
    }

    /**
     * One row of C: c[0, n) (+)= sum over p of a[p] . B[p, 0 .. n), reading B row after row
     * (8 rows per pass over c: 6% faster than 4, fewer loads and stores of c), so B streams
     * through memory in address order. A column-strip tile would walk B down its columns instead,
     * 4 KiB apart for a 1024-wide B, which for a single row of A measured 2.6 times slower: with
     * one row there is no reuse of B to gain, and the memory order is all that counts. Each
     * element is still summed p = 0, 1, ... with one FMA each, so the results are those of the
     * tiles, to the bit.
     */
    static void rowTimesMatrix(float[] a, int aOff, int aCs, float[] b, int bOff, int ldb,
                               float[] c, int cOff, int k, int n, boolean accumulate) {
        int vectorEnd = n - n % LANES;
        if (!accumulate) {
            java.util.Arrays.fill(c, cOff, cOff + n, 0f);
        }
        // The last n % LANES columns ride along in one more vector, read a full vector wide from
        // the first of them: its lanes past the last column read the next row's first elements,
        // and their sums are never stored. tailRows counts the rows of B it has taken so far.
        boolean tail = vectorEnd < n;
        float[] tailSums = null;
        if (tail) {
            tailSums = scratch(EDGE, LANES);
            java.util.Arrays.fill(tailSums, 0, LANES, 0f);
            System.arraycopy(c, cOff + vectorEnd, tailSums, 0, n - vectorEnd);
        }
        int tailRows = 0;
        int p = 0;
        for (; p + 8 <= k; p += 8) {
            FloatVector a0 = FloatVector.broadcast(SPECIES, a[aOff + p * aCs]);
            FloatVector a1 = FloatVector.broadcast(SPECIES, a[aOff + (p + 1) * aCs]);
            FloatVector a2 = FloatVector.broadcast(SPECIES, a[aOff + (p + 2) * aCs]);
            FloatVector a3 = FloatVector.broadcast(SPECIES, a[aOff + (p + 3) * aCs]);
            FloatVector a4 = FloatVector.broadcast(SPECIES, a[aOff + (p + 4) * aCs]);
            FloatVector a5 = FloatVector.broadcast(SPECIES, a[aOff + (p + 5) * aCs]);
            FloatVector a6 = FloatVector.broadcast(SPECIES, a[aOff + (p + 6) * aCs]);
            FloatVector a7 = FloatVector.broadcast(SPECIES, a[aOff + (p + 7) * aCs]);
            int b0 = bOff + p * ldb;
            for (int j = 0; j < vectorEnd; j += LANES) {
                int bj = b0 + j;
                FloatVector sum = FloatVector.fromArray(SPECIES, c, cOff + j);
                sum = a0.fma(FloatVector.fromArray(SPECIES, b, bj), sum);
                sum = a1.fma(FloatVector.fromArray(SPECIES, b, bj + ldb), sum);
                sum = a2.fma(FloatVector.fromArray(SPECIES, b, bj + 2 * ldb), sum);
                sum = a3.fma(FloatVector.fromArray(SPECIES, b, bj + 3 * ldb), sum);
                sum = a4.fma(FloatVector.fromArray(SPECIES, b, bj + 4 * ldb), sum);
                sum = a5.fma(FloatVector.fromArray(SPECIES, b, bj + 5 * ldb), sum);
                sum = a6.fma(FloatVector.fromArray(SPECIES, b, bj + 6 * ldb), sum);
                sum = a7.fma(FloatVector.fromArray(SPECIES, b, bj + 7 * ldb), sum);
                sum.intoArray(c, cOff + j);
            }
            // The tail vector, the same eight FMAs (written out again: passing vectors to a helper
            // method measured five times slower, the JIT boxing them instead of inlining it).
            int bt = b0 + vectorEnd;
            if (tail && tailRows == p && bt + 7 * ldb + LANES <= b.length) {
                FloatVector sum = FloatVector.fromArray(SPECIES, tailSums, 0);
                sum = a0.fma(FloatVector.fromArray(SPECIES, b, bt), sum);
                sum = a1.fma(FloatVector.fromArray(SPECIES, b, bt + ldb), sum);
                sum = a2.fma(FloatVector.fromArray(SPECIES, b, bt + 2 * ldb), sum);
                sum = a3.fma(FloatVector.fromArray(SPECIES, b, bt + 3 * ldb), sum);
                sum = a4.fma(FloatVector.fromArray(SPECIES, b, bt + 4 * ldb), sum);
                sum = a5.fma(FloatVector.fromArray(SPECIES, b, bt + 5 * ldb), sum);
                sum = a6.fma(FloatVector.fromArray(SPECIES, b, bt + 6 * ldb), sum);
                sum = a7.fma(FloatVector.fromArray(SPECIES, b, bt + 7 * ldb), sum);
                sum.intoArray(tailSums, 0);
                tailRows = p + 8;
            }
        }
        for (; p < k; p++) {
            FloatVector ap = FloatVector.broadcast(SPECIES, a[aOff + p * aCs]);
            int bp = bOff + p * ldb;
            for (int j = 0; j < vectorEnd; j += LANES) {
                ap.fma(FloatVector.fromArray(SPECIES, b, bp + j), FloatVector.fromArray(SPECIES, c, cOff + j))
                        .intoArray(c, cOff + j);
            }
        }
        if (tail) {
            // Rows the vector could not take (a full vector would run off the end of b): one lane
            // at a time, the same FMAs in the same order.
            for (int q = tailRows; q < k; q++) {
                for (int j = 0; j < n - vectorEnd; j++) {
                    tailSums[j] = Math.fma(a[aOff + q * aCs], b[bOff + q * ldb + vectorEnd + j], tailSums[j]);
                }
            }
            System.arraycopy(tailSums, 0, c, cOff + vectorEnd, n - vectorEnd);
        }
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
        if (m < GEMV_MAX_ROWS) {
            for (int i = 0; i < m; i++) {
                rowTimesMatrix(a, aOff + i * aRs, aCs, b, bOff, ldb, c, cOff + i * ldc, k, n, accumulate);
            }
            return;
        }
        // Cut k into blocks, so that the block of B a column strip reads (KC rows x 3 or 4 vectors)
        // stays in cache while every row tile passes over it; without this a long k (a weight
        // gradient sums over all T * B positions) streams B from memory once per row tile. Later
        // blocks continue the sums held in C, so every element is still summed p = 0, 1, ... in
        // order: the blocking changes no result.
        for (int kb = 0; kb < k; kb += KC) {
            if (m >= PACK_MIN_ROWS) {
                VectorPackedGemm.block(a, aOff + kb * aCs, aRs, aCs, b, bOff + kb * ldb, ldb, c, cOff, ldc, m,
                        Math.min(KC, k - kb), n, accumulate || kb > 0);
            } else {
                gemmBlock(a, aOff + kb * aCs, aRs, aCs, b, bOff + kb * ldb, ldb, c, cOff, ldc, m,
                        Math.min(KC, k - kb), n, accumulate || kb > 0);
            }
        }
    }

    /**
     * Kernels#matmulTransARows: with {@link #PACK_MIN_ROWS} rows of C or more, k blocks of
     * {@link #KC} listed rows through {@link VectorPackedGemm#blockRows}, whose copies gather
     * them; fewer rows of C take no copy of B, so the listed rows are gathered first and
     * multiplied by {@link #gemm}. Either way each element gets gemm's FMAs over the listed rows,
     * in their order (C carries the sums from one block to the next, as in gemm).
     */
    static void gemmTransARows(float[] a, int lda, int[] rows, int count, float[] b, int bOff, int ldb,
                               float[] c, int cOff, int ldc, int m, int n) {
        if (m >= PACK_MIN_ROWS) {
            for (int kb = 0; kb < count; kb += KC) {
                VectorPackedGemm.blockRows(a, lda, rows, kb, Math.min(KC, count - kb), b, bOff, ldb, c, cOff, ldc, m,
                        n);
            }
            return;
        }
        float[] aRows = new float[count * m]; // [count, m]: read as A^T by gemm's strides
        float[] bRows = new float[count * n];
        for (int q = 0; q < count; q++) {
            System.arraycopy(a, rows[q] * lda, aRows, q * m, m);
            System.arraycopy(b, bOff + rows[q] * ldb, bRows, q * n, n);
        }
        gemm(aRows, 0, 1, m, bRows, 0, n, c, cOff, ldc, m, count, n, true);
    }

    private static void gemmBlock(float[] a, int aOff, int aRs, int aCs,
                                  float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc,
                                  int m, int k, int n, boolean accumulate) {
        int j = 0;
        if (WIDE_TILES) {
            int sixRowTiles = sixRowTiles(m);
            int wideEnd = 4 * LANES * wideStrips(n / LANES);
            for (; j < wideEnd; j += 4 * LANES) {
                int i = 0;
                for (; i < 6 * sixRowTiles; i += 6) {
                    GemmTiles.tile6x4(a, aOff + i * aRs, aRs, aCs, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, k,
                            accumulate);
                }
                for (; i + 4 <= m; i += 4) {
                    GemmTiles.tile4x4(a, aOff + i * aRs, aRs, aCs, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, k,
                            accumulate);
                }
                for (; i < m; i++) {
                    GemmTiles.tile1x4(a, aOff + i * aRs, aCs, b, bOff + j, ldb, c, cOff + i * ldc + j, k, accumulate);
                }
            }
        }
        for (; j + 3 * LANES <= n; j += 3 * LANES) {
            int i = 0;
            if (WIDE_TILES) {
                for (; i < 6 * sixRowTiles(m); i += 6) {
                    GemmTiles.tile6x3(a, aOff + i * aRs, aRs, aCs, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, k,
                            accumulate);
                }
            }
            for (; i + 4 <= m; i += 4) {
                GemmTiles.tile4x3(a, aOff + i * aRs, aRs, aCs, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, k,
                        accumulate);
            }
            for (; i < m; i++) {
                GemmTiles.tile1x3(a, aOff + i * aRs, aCs, b, bOff + j, ldb, c, cOff + i * ldc + j, k, accumulate);
            }
        }
        for (; j + LANES <= n; j += LANES) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                GemmTiles.tile4x1(a, aOff + i * aRs, aRs, aCs, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, k, accumulate);
            }
            for (; i < m; i++) {
                GemmTiles.tile1x1(a, aOff + i * aRs, aCs, b, bOff + j, ldb, c, cOff + i * ldc + j, k, accumulate);
            }
        }
        if (j < n) {
            edgeColumns(a, aOff, aRs, aCs, b, bOff + j, ldb, c, cOff + j, ldc, m, k, n - j, accumulate);
        }
    }

    /**
     * How many 4-vector strips to cut {@code vectors} columns into, leaving the rest to 3-vector
     * strips and then single vectors: 6 vectors (a 96-wide softmax head) are two 3-vector strips
     * rather than a 4-vector strip and two single vectors (whose 4 x 1 tiles do a quarter of the
     * work per load).
     */
    static int wideStrips(int vectors) {
        int strips = vectors / 4;
        return vectors % 4 == 2 && strips > 0 ? strips - 1 : strips;
    }

    /**
     * How many 6-row tiles to use for m rows, so that 4-row tiles take the rest down to at most one
     * row: 32 = 4 x 6 + 2 x 4 rather than 5 x 6 + 2 single rows (a single-row tile does a quarter
     * of the work per load).
     */
    static int sixRowTiles(int m) {
        int even = m & ~1;
        int fourRowTiles = switch (even % 6) {
            case 2 -> even >= 8 ? 2 : 0;
            case 4 -> 1;
            default -> 0;
        };
        return (even - 4 * fourRowTiles) / 6;
    }

    private static final ThreadLocal<float[]> EDGE = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> TRANSPOSED = ThreadLocal.withInitial(() -> new float[0]);

    /** A per-thread scratch array of at least {@code size} floats (also VectorPackedGemm's). */
    static float[] scratch(ThreadLocal<float[]> holder, int size) {
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
            GemmTiles.tile4x1(a, aOff + i * aRs, aRs, aCs, edge, 0, LANES, edge, cEdge + i * LANES, LANES, k, true);
        }
        for (; i < m; i++) {
            GemmTiles.tile1x1(a, aOff + i * aRs, aCs, edge, 0, LANES, edge, cEdge + i * LANES, k, true);
        }
        for (i = 0; i < m; i++) {
            System.arraycopy(edge, cEdge + i * LANES, c, cOff + i * ldc, width);
        }
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
