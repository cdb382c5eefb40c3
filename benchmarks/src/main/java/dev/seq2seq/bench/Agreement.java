package dev.seq2seq.bench;

import dev.seq2seq.engine.kernels.Kernels;

/** The check every benchmark's setup runs before anything is timed: the variants agree. */
final class Agreement {
    private Agreement() {
    }

    /** Vector and scalar products agree within 2 k u sum|a b| on every element. */
    static void checkProduct(Kernels reference, Kernels candidate, int m, int k, int n) {
        float[] a = MatmulBenchmark.random(11, m * k);
        float[] b = MatmulBenchmark.random(12, k * n);
        float[] expected = new float[m * n];
        float[] actual = new float[m * n];
        reference.matmul(a, 0, b, 0, expected, 0, m, k, n, false);
        candidate.matmul(a, 0, b, 0, actual, 0, m, k, n, false);
        double u = Math.ulp(1f) / 2;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double terms = 0;
                for (int p = 0; p < k; p++) {
                    terms += Math.abs((double) a[i * k + p] * b[p * n + j]);
                }
                double tolerance = 2 * (k + 1) * u * terms;
                float difference = Math.abs(expected[i * n + j] - actual[i * n + j]);
                if (difference > tolerance) {
                    throw new IllegalStateException(candidate.name() + " and " + reference.name() + " disagree on ["
                            + m + "x" + k + "x" + n + "] at (" + i + ", " + j + "): " + actual[i * n + j] + " vs "
                            + expected[i * n + j]);
                }
            }
        }
    }
}
