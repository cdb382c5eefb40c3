package dev.seq2seq.engine.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.TestData;
import org.junit.jupiter.api.Test;

/**
 * The row-tiling rule of {@link VectorGemm}, and that its two ways of reading B (from B itself
 * below {@link VectorGemm#PACK_MIN_ROWS} rows, from packed strips from there on) give the same
 * bits; the products themselves are checked against the scalar reference elsewhere.
 */
class VectorGemmTest {

    @Test
    void stripsLeaveAtMostOneSingleVector() {
        for (int vectors = 0; vectors <= 200; vectors++) {
            int rest = vectors - 4 * VectorGemm.wideStrips(vectors);
            assertTrue(rest >= 0, vectors + " vectors: too many wide strips");
            if (vectors >= 3) { // fewer vectors than a 3-vector strip are all single vectors
                assertTrue(rest % 3 <= 1, vectors + " vectors: " + rest % 3 + " single vectors left (at most 1)");
            }
        }
    }

    @Test
    void sixAndFourRowTilesLeaveAtMostOneRow() {
        for (int m = 0; m <= 500; m++) {
            int sixes = VectorGemm.sixRowTiles(m);
            int rest = m - 6 * sixes;
            assertTrue(sixes >= 0 && rest >= 0, "m = " + m + ": " + sixes + " six-row tiles");
            assertTrue(rest / 4 <= 2, "m = " + m + ": " + rest / 4 + " four-row tiles (at most 2 needed)");
            if (m >= 4) { // fewer rows than a 4-row tile are all single rows
                assertTrue(rest % 4 <= 1, "m = " + m + ": " + rest % 4 + " single rows left (at most 1)");
            }
        }
    }

    /**
     * A product of many rows (B's strips packed per k block) against the same rows cut into
     * products of fewer rows (B read in place): every element the same, for A read directly and
     * transposed, across two k blocks, with a last strip narrower than the others.
     */
    @Test
    void packingBDoesNotChangeABit() {
        int m = VectorGemm.PACK_MIN_ROWS + 37;
        int slice = 7;
        for (int[] kn : new int[][] {{300, 101}, {70, 93}, {256, 1024}, {5, 3}}) {
            int k = kn[0];
            int n = kn[1];
            float[] a = TestData.mixed(1, m * k);
            float[] b = TestData.mixed(2, k * n);
            for (boolean transposedA : new boolean[] {false, true}) {
                int aRs = transposedA ? 1 : k;
                int aCs = transposedA ? m : 1;
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] whole = TestData.mixed(3, m * n);
                    float[] sliced = whole.clone();
                    VectorGemm.gemm(a, 0, aRs, aCs, b, 0, n, whole, 0, n, m, k, n, accumulate);
                    for (int from = 0; from < m; from += slice) {
                        int rows = Math.min(slice, m - from);
                        VectorGemm.gemm(a, from * aRs, aRs, aCs, b, 0, n, sliced, from * n, n, rows, k, n, accumulate);
                    }
                    assertArrayEquals(sliced, whole, m + "x" + k + "x" + n + " transposedA=" + transposedA
                            + " accumulate=" + accumulate);
                }
            }
        }
    }
}
