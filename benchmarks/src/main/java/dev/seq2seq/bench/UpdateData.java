package dev.seq2seq.bench;

import java.util.SplittableRandom;

/**
 * The weights and gradients the optimiser-update benchmarks share: weights in [-0.1, 0.1) and
 * gradients in [-0.01, 0.01), drawn in turn from seed 7, so RMSprop and Adam update the same numbers.
 */
record UpdateData(float[] weights, float[] gradients) {
    static UpdateData of(int size) {
        SplittableRandom random = new SplittableRandom(7);
        float[] weights = new float[size];
        float[] gradients = new float[size];
        for (int i = 0; i < size; i++) {
            weights[i] = (float) random.nextDouble(-0.1, 0.1);
            gradients[i] = (float) random.nextDouble(-0.01, 0.01);
        }
        return new UpdateData(weights, gradients);
    }
}
