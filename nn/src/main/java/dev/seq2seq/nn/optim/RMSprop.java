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
public final class RMSprop extends AbstractOptimizer {
    private final List<Tensor> velocities = new ArrayList<>();
    private final float rho;
    private final float epsilon;

    /** Keras defaults, no clipping. */
    public RMSprop(List<Tensor> parameters) {
        this(parameters, 0.001f, 0.9f, 1e-7f, 0f);
    }

    /** {@code clipNorm} 0 disables clipping. */
    public RMSprop(List<Tensor> parameters, float learningRate, float rho, float epsilon, float clipNorm) {
        super("RMSprop", parameters, learningRate, clipNorm);
        if (!(rho >= 0 && rho < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("RMSprop: need 0 <= rho < 1 and epsilon > 0; got " + rho + ", "
                    + epsilon);
        }
        for (Tensor parameter : parameters) {
            velocities.add(Tensor.zeros(parameter.shape()).named(parameter.name() + "/rms"));
        }
        this.rho = rho;
        this.epsilon = epsilon;
    }

    @Override
    protected void update(float gradientScale) {
        ParallelKernels k = Backend.kernels();
        float rate = learningRate();
        for (int p = 0; p < parameters.size(); p++) {
            Tensor parameter = parameters.get(p);
            float[] w = parameter.data();
            float[] g = parameter.gradData();
            float[] v = velocities.get(p).data();
            int offset = parameter.offset();
            // Element by element, so the cores can share a parameter without changing any result.
            k.forEachPart(parameter.size(), UPDATE_MIN_PART, (from, to) -> k.rmspropUpdate(w, offset + from, g,
                    offset + from, v, from, to - from, gradientScale, rate, rho, epsilon));
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
}
