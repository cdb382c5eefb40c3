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
        float keep = 1f / (1f - rate);
        float[] mask = new float[x.size()];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < mask.length; i++) {
            mask[i] = random.nextDouble() < rate ? 0f : keep;
        }
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

    /** A seed for one place and one training step, from the model's seed. */
    public static long seed(long modelSeed, long step, int place) {
        return new SplittableRandom(modelSeed * 0x9E3779B97F4A7C15L + step * 1_000_003L + place).nextLong();
    }
}
