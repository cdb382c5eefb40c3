package dev.seq2seq.nn;

import static dev.seq2seq.engine.GradCheck.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import org.junit.jupiter.api.Test;

class DropoutTest {

    @Test
    void gradientsMatchCentralDifferencesForAFixedMask() {
        Dropout dropout = new Dropout(0.3f);
        Tensor x = Tensor.uniform(1, -1, 1, 4, 5).requireGrad();
        check("dropout", () -> dropout.apply(x, 42), x);
    }

    @Test
    void theMaskKeepsTheMeanIsReproducibleAndOffAtRateZero() {
        Dropout dropout = new Dropout(0.25f);
        Tensor ones = Tensor.of(filled(100_000, 1f), 100_000);
        try (Tape.Scope ignored = Tape.pause()) {
            Tensor dropped = dropout.apply(ones, 7);
            double sum = 0;
            int zeros = 0;
            for (int i = 0; i < dropped.size(); i++) {
                sum += dropped.at(i);
                zeros += dropped.at(i) == 0 ? 1 : 0;
                if (dropped.at(i) != 0) {
                    assertEquals(1f / 0.75f, dropped.at(i), 1e-6f);
                }
            }
            assertEquals(1.0, sum / dropped.size(), 0.01, "the expected value is kept");
            assertEquals(0.25, zeros / 100_000.0, 0.01);
            assertArrayEquals(dropped.toArray(), dropout.apply(ones, 7).toArray(), "the same seed, the same mask");
            assertSame(ones, new Dropout(0f).apply(ones, 7), "rate 0 is the identity, no op at all");
        }
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1f));
    }

    /**
     * The mask is the definition's, m_i = 0 when the i-th nextDouble() of SplittableRandom(seed) is
     * below p, to the bit: for rates whose p . 2^53 is a whole number (0.5, 0.25) and not (0.3,
     * 0.1), at the edges (the smallest rate a float holds, and just below 1), over many seeds.
     */
    @Test
    void theMaskIsTheDefinitionsDrawForDraw() {
        for (float rate : new float[] {0.3f, 0.5f, 0.25f, 0.1f, Float.MIN_VALUE, Math.nextDown(1f)}) {
            Dropout dropout = new Dropout(rate);
            float keep = 1f / (1f - rate);
            for (long seed : new long[] {0, 1, 7, -3, Long.MIN_VALUE, 0x9E3779B97F4A7C15L}) {
                java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
                float[] expected = new float[4099];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = random.nextDouble() < rate ? 0f : keep;
                }
                assertArrayEquals(expected, dropout.mask(expected.length, seed), "rate " + rate + ", seed " + seed);
            }
        }
    }

    private static float[] filled(int n, float value) {
        float[] values = new float[n];
        java.util.Arrays.fill(values, value);
        return values;
    }
}
