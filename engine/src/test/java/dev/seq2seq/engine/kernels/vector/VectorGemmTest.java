package dev.seq2seq.engine.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The row-tiling rule of {@link VectorGemm}; the products themselves are checked against the scalar reference elsewhere. */
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
}
