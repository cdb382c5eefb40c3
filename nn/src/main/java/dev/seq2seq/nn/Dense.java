package dev.seq2seq.nn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.SoftmaxOps;
import dev.seq2seq.nn.init.Initializers;
import java.util.List;

/**
 * A fully connected layer, Keras layout: y[N, out] = activation(x[N, in] . kernel[in, out] + bias[out]).
 * Kernel: glorot uniform; bias: zeros. The derivative is that of its ops (affine: the product and the
 * bias in one op; softmax), recorded on the tape.
 *
 * <p>For a softmax output trained with cross-entropy, call {@link #logits} and give them to
 * {@code SoftmaxCrossEntropy}: fusing the two is both cheaper and numerically stable.
 */
public final class Dense implements Module {
    public enum Activation { LINEAR, SOFTMAX }

    private final Tensor kernel;
    private final Tensor bias;
    private final Activation activation;

    public Dense(String name, int in, int out, Activation activation, long seed) {
        this.kernel = Initializers.glorotUniform(seed, in, out).requireGrad().named(name + "/kernel");
        this.bias = Tensor.zeros(out).requireGrad().named(name + "/bias");
        this.activation = activation;
    }

    public Tensor kernel() {
        return kernel;
    }

    public Tensor bias() {
        return bias;
    }

    public int inputSize() {
        return kernel.dim(0);
    }

    public int outputSize() {
        return kernel.dim(1);
    }

    /** x[N, in] -> x . kernel + bias, before the activation. */
    public Tensor logits(Tensor x) {
        return MatrixOps.affine(x, kernel, bias);
    }

    /** x[N, in] -> activation(x . kernel + bias). */
    public Tensor forward(Tensor x) {
        Tensor z = logits(x);
        return activation == Activation.SOFTMAX ? SoftmaxOps.softmax(z) : z;
    }

    @Override
    public List<Tensor> parameters() {
        return List.of(kernel, bias);
    }
}
