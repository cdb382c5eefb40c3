package dev.seq2seq.nn.optim;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.ParallelKernels;
import java.util.ArrayList;
import java.util.List;

/**
 * RMSprop with Keras's defaults (learning rate 0.001, rho 0.9, epsilon 1e-7):
 *
 * <pre>
 *   v = rho * v + (1 - rho) * g^2
 *   w = w - lr * g / (sqrt(v) + epsilon)
 * </pre>
 *
 * Epsilon is added after the square root, as in tf.keras 2's RMSprop without momentum and in
 * PyTorch's RMSprop, so a checkpoint trained here matches both (TensorFlow's fused training op,
 * used only with momentum, puts it inside). v starts at zero.
 *
 * <p>Optional clipping by global norm (Keras's global_clipnorm): when the norm of all gradients
 * together exceeds the limit, every gradient is scaled by limit / norm before the update.
 */
public final class RMSprop implements Optimizer {
    /** Parameters smaller than twice this are updated on one core: a hand-off costs more. */
    static final int UPDATE_MIN_PART = 1 << 15;

    private final List<Tensor> parameters;
    private final List<Tensor> velocities = new ArrayList<>();
    private float learningRate;
    private final float rho;
    private final float epsilon;
    private final float clipNorm;
    private long iterations;

    /** Keras defaults, no clipping. */
    public RMSprop(List<Tensor> parameters) {
        this(parameters, 0.001f, 0.9f, 1e-7f, 0f);
    }

    /** {@code clipNorm} 0 disables clipping. */
    public RMSprop(List<Tensor> parameters, float learningRate, float rho, float epsilon, float clipNorm) {
        if (!(learningRate > 0) || !(rho >= 0 && rho < 1) || !(epsilon > 0) || !(clipNorm >= 0)) {
            throw new IllegalArgumentException("RMSprop: need learning rate > 0, 0 <= rho < 1, epsilon > 0,"
                    + " clip norm >= 0; got " + learningRate + ", " + rho + ", " + epsilon + ", " + clipNorm);
        }
        this.parameters = List.copyOf(parameters);
        for (Tensor parameter : parameters) {
            velocities.add(Tensor.zeros(parameter.shape()).named(parameter.name() + "/rms"));
        }
        this.learningRate = learningRate;
        this.rho = rho;
        this.epsilon = epsilon;
        this.clipNorm = clipNorm;
    }

    /**
     * Applies one update from the accumulated gradients. Returns the global gradient norm before
     * clipping when clipping is on, NaN when it is off (the norm is then not needed, and summing
     * 700,000 squares one after the other cost as much as the update).
     */
    @Override
    public float step() {
        float norm = Float.NaN;
        float gradientScale = 1f;
        if (clipNorm > 0) {
            norm = GlobalNorm.of(parameters);
            gradientScale = GlobalNorm.scale(norm, clipNorm);
        }
        ParallelKernels k = Backend.kernels();
        for (int p = 0; p < parameters.size(); p++) {
            Tensor parameter = parameters.get(p);
            float[] w = parameter.data();
            float[] g = parameter.gradData();
            float[] v = velocities.get(p).data();
            int offset = parameter.offset();
            float scale = gradientScale;
            // Element by element, so the cores can share a parameter without changing any result.
            k.forEachPart(parameter.size(), UPDATE_MIN_PART, (from, to) -> k.rmspropUpdate(w, offset + from, g,
                    offset + from, v, from, to - from, scale, learningRate, rho, epsilon));
        }
        iterations++;
        return norm;
    }

    /** Sets every parameter's gradient to zero, ready for the next batch. */
    @Override
    public void zeroGrad() {
        for (Tensor parameter : parameters) {
            parameter.zeroGrad();
        }
    }

    /** The running averages of squared gradients, one per parameter, named "{parameter}/rms". */
    @Override
    public List<Tensor> state() {
        return List.copyOf(velocities);
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    public long iterations() {
        return iterations;
    }

    @Override
    public void setIterations(long count) {
        this.iterations = count;
    }

    @Override
    public float learningRate() {
        return learningRate;
    }

    /**
     * Changes the learning rate for the next steps (a schedule, such as decay when validation stops
     * improving); the running averages are kept.
     */
    @Override
    public void setLearningRate(float rate) {
        if (!(rate > 0) || !Float.isFinite(rate)) {
            throw new IllegalArgumentException("RMSprop: need a learning rate > 0, got " + rate);
        }
        this.learningRate = rate;
    }
}
