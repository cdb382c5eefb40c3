package dev.seq2seq.nn.optim;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.ParallelKernels;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba, 2015) as PyTorch's torch.optim.Adam computes it, defaults beta1 0.9,
 * beta2 0.999, epsilon 1e-8. At step t (from 1):
 *
 * <pre>
 *   m = beta1 * m + (1 - beta1) * g                       (the mean of the gradients)
 *   v = beta2 * v + (1 - beta2) * g^2                     (the mean of their squares)
 *   w = w - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon)
 * </pre>
 *
 * m and v start at zero, so early on they are too small by the factors 1 - beta^t; dividing by
 * those factors corrects them. PyTorch puts epsilon after correcting v (Keras before, which makes
 * its epsilon 1 / sqrt(1 - beta2^t) times larger early on); this class follows PyTorch, against
 * whose values it is tested. Compared with {@link RMSprop}, the step follows the mean of the
 * recent gradients rather than the last one alone, which evens out the noise of small batches, at
 * the price of one more array the size of the weights (saved in a resumable checkpoint).
 *
 * <p>Optional clipping by global norm, as RMSprop's.
 */
public final class Adam extends AbstractOptimizer {
    private final List<Tensor> means = new ArrayList<>();
    private final List<Tensor> squares = new ArrayList<>();
    private final float beta1;
    private final float beta2;
    private final float epsilon;

    /** PyTorch's defaults, no clipping. */
    public Adam(List<Tensor> parameters, float learningRate) {
        this(parameters, learningRate, 0.9f, 0.999f, 1e-8f, 0f);
    }

    /** {@code clipNorm} 0 disables clipping. */
    public Adam(List<Tensor> parameters, float learningRate, float beta1, float beta2, float epsilon, float clipNorm) {
        super("Adam", parameters, learningRate, clipNorm);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("Adam: need 0 <= beta1 < 1, 0 <= beta2 < 1 and epsilon > 0; got "
                    + beta1 + ", " + beta2 + ", " + epsilon);
        }
        for (Tensor parameter : parameters) {
            means.add(Tensor.zeros(parameter.shape()).named(parameter.name() + "/adam_m"));
            squares.add(Tensor.zeros(parameter.shape()).named(parameter.name() + "/adam_v"));
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    protected void update(float gradientScale) {
        long t = iterations() + 1;
        // The bias corrections in double, then rounded once, as PyTorch computes them in Python floats.
        float stepSize = (float) (learningRate() / (1 - Math.pow(beta1, t)));
        float correction2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, t));
        ParallelKernels k = Backend.kernels();
        for (int p = 0; p < parameters.size(); p++) {
            Tensor parameter = parameters.get(p);
            float[] w = parameter.data();
            float[] g = parameter.gradData();
            float[] m = means.get(p).data();
            float[] v = squares.get(p).data();
            int offset = parameter.offset();
            // Element by element, so the cores can share a parameter without changing any result.
            k.forEachPart(parameter.size(), UPDATE_MIN_PART, (from, to) -> k.adamUpdate(w, offset + from, g,
                    offset + from, m, v, from, to - from, gradientScale, stepSize, beta1, beta2, correction2Sqrt,
                    epsilon));
        }
    }

    /** The first moments ("{parameter}/adam_m") of every parameter, then the second ("{parameter}/adam_v"). */
    @Override
    public List<Tensor> state() {
        List<Tensor> state = new ArrayList<>(means);
        state.addAll(squares);
        return List.copyOf(state);
    }

    @Override
    public String name() {
        return "adam";
    }
}
