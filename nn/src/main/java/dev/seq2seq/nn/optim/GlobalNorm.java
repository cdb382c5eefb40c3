package dev.seq2seq.nn.optim;

import dev.seq2seq.engine.Tensor;
import java.util.List;

/**
 * Clipping by global norm (Keras's global_clipnorm, PyTorch's clip_grad_norm_): when the norm of
 * all gradients together exceeds the limit, every gradient is scaled by limit / norm before the
 * update. The optimisers pass the scale to their update kernels instead of rescaling the gradients.
 */
final class GlobalNorm {
    private GlobalNorm() {
    }

    /** sqrt(sum of every gradient element squared), summed in double, in parameter order. */
    static float of(List<Tensor> parameters) {
        double squares = 0;
        for (Tensor parameter : parameters) {
            float[] g = parameter.gradData();
            for (int i = parameter.offset(), end = i + parameter.size(); i < end; i++) {
                squares += (double) g[i] * g[i];
            }
        }
        return (float) Math.sqrt(squares);
    }

    /** The factor the gradients are multiplied by: limit / norm above the limit, else 1. */
    static float scale(float norm, float clipNorm) {
        return norm > clipNorm ? clipNorm / norm : 1f;
    }
}
