package dev.seq2seq.nn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Backend;
import java.util.SplittableRandom;

/**
 * Inverted dropout (Srivastava et al., 2014), as training uses it: each value is kept with
 * probability 1 - p and scaled by 1 / (1 - p), so the expected value is unchanged and nothing is
 * rescaled at inference, where dropout is simply not applied.
 *
 * <pre>
 *   forward:  y = x * m,   m_i = 1 / (1 - p) with probability 1 - p, else 0
 *   backward: dx += dy * m
 * </pre>
 *
 * The mask is drawn from the seed the caller gives (the model mixes its own seed, the training
 * step and the place in the network), so a run is reproducible and a resumed run draws the same
 * masks as an uninterrupted one.
 */
public final class Dropout {
    private final float rate;

    /** @param rate p, the probability of dropping a value, in [0, 1) */
    public Dropout(float rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("the dropout rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    public float rate() {
        return rate;
    }

    /** x with the mask of {@code seed} applied; x itself when the rate is 0. */
    public Tensor apply(Tensor x, long seed) {
        if (rate == 0) {
            return x;
        }
        float[] mask = mask(x.size(), seed);
        Tensor y = Tensor.zeros(x.shape());
        Backend.kernels().mul(x.data(), x.offset(), mask, 0, y.data(), 0, mask.length);
        if (Tape.recording(x)) {
            Tape.record("dropout", y, () -> {
                if (x.requiresGrad()) {
                    // dx += dy * m
                    float[] product = new float[mask.length];
                    Backend.kernels().mul(y.gradData(), 0, mask, 0, product, 0, mask.length);
                    Backend.kernels().axpy(1f, product, 0, x.gradData(), x.offset(), mask.length);
                }
            }, x);
        }
        return y;
    }

    /**
     * n mask values drawn from {@code seed}: m_i = 0 when the i-th {@code nextDouble()} of a
     * {@code SplittableRandom(seed)} is below p, else 1 / (1 - p). Computed without a branch: with
     * p = 0.3 a branch on each draw is mispredicted about a third of the time, and the mask of a
     * [64, 256] state took 108 us where the draws alone take 20. nextDouble() is (nextLong() >>>
     * 11) . 2^-53, so it is below p exactly when the integer (nextLong() >>> 11) is below
     * ceil(p . 2^53), both sides exact: the same mask as comparing the doubles.
     */
    float[] mask(int n, long seed) {
        float keep = 1f / (1f - rate);
        long threshold = (long) Math.ceil((double) rate * 0x1p53);
        float[] mask = new float[n];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            // 1 when the draw is at or above the threshold (the difference's sign bit clear), else 0
            long kept = (((random.nextLong() >>> 11) - threshold) >>> 63) ^ 1;
            mask[i] = kept * keep;
        }
        return mask;
    }

    /** A seed for one place and one training step, from the model's seed. */
    public static long seed(long modelSeed, long step, int place) {
        return new SplittableRandom(modelSeed * 0x9E3779B97F4A7C15L + step * 1_000_003L + place).nextLong();
    }
}
