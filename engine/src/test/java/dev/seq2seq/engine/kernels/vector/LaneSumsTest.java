package dev.seq2seq.engine.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seq2seq.engine.TestData;
import org.junit.jupiter.api.Test;

/**
 * The sums come out as their 16-partial-sum definition says, to the bit, at the width these
 * tests run with; the build runs them at 128, 256 and the machine's own width, so a pass at each
 * is the same result on every width.
 */
class LaneSumsTest {
    private static final int[] LENGTHS = {0, 1, 3, 15, 16, 17, 31, 32, 33, 95, 96, 257, 1000, 4099};

    /** The definition: 16 partial sums, in order, then the tail one by one. */
    private static float reference(float[] x, int xOff, int n) {
        int bound = n - n % LaneSums.VIRTUAL_LANES;
        float[] partial = new float[LaneSums.VIRTUAL_LANES];
        LaneSums.partialSums(x, xOff, bound, partial);
        float total = 0f;
        for (float p : partial) {
            total += p;
        }
        for (int i = bound; i < n; i++) {
            total += x[xOff + i];
        }
        return total;
    }

    @Test
    void sumIsTheSixteenPartialSums() {
        for (int n : LENGTHS) {
            float[] x = TestData.mixed(n + 1, 3 + n);
            assertEquals(Float.floatToRawIntBits(reference(x, 3, n)), Float.floatToRawIntBits(LaneSums.sum(x, 3, n)),
                    "n = " + n + " at " + VectorWidth.LANES + " lanes");
        }
    }

    @Test
    void expShiftedSumsItsExponentialsTheSameWay() {
        for (int n : LENGTHS) {
            float[] x = TestData.mixed(n + 7, 2 + n);
            float[] out = new float[1 + n];
            float total = LaneSums.expShifted(x, 2, 0.25f, out, 1, n);
            for (int i = 0; i < n; i++) {
                assertEquals(Transcendentals.exp(x[2 + i] - 0.25f), out[1 + i], "exp of element " + i + ", n = " + n);
            }
            assertEquals(Float.floatToRawIntBits(reference(out, 1, n)), Float.floatToRawIntBits(total), "n = " + n);
        }
    }
}
