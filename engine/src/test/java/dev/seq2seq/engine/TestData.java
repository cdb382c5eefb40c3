package dev.seq2seq.engine;

import java.util.SplittableRandom;

/** Test inputs: signed values of mixed magnitude, from a seed. */
public final class TestData {
    private TestData() {
    }

    /** Values sign * 10^u with u uniform in [-2, 1): small and large numbers side by side. */
    public static float[] mixed(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            double magnitude = Math.pow(10, -2 + 3 * random.nextDouble());
            values[i] = (float) (random.nextBoolean() ? magnitude : -magnitude);
        }
        return values;
    }

    /** Uniform in [-range, range). */
    public static float[] uniform(long seed, int n, float range) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * range);
        }
        return values;
    }
}
