package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.ShapeOps;
import dev.seq2seq.nn.init.Initializers;
import java.util.List;

/**
 * What the LSTM and GRU layers share: a kernel [in, G*H] (glorot uniform) and a recurrent kernel
 * [H, G*H] (orthogonal) for G gates, and the input projection computed for all steps at once
 * before the recurrence:
 *
 * <pre>
 *   projection[T*B, G*H] = x[T*B, in] . kernel + input bias      (dense input)
 *                        = kernel rows picked by the token ids + input bias   (one-hot input)
 * </pre>
 *
 * A one-hot row times the kernel is the kernel's row for that token, so token inputs never
 * become one-hot matrices. One step from a carried state is the same computation with T = 1.
 *
 * @param <S> the layer's state
 */
abstract class GatedRecurrentLayer<S extends RecurrentState> implements RecurrentLayer<S> {
    private final String name;
    private final Tensor kernel;
    private final Tensor recurrentKernel;
    private final int gates;

    GatedRecurrentLayer(String name, int inputSize, int units, int gateCount, long seed) {
        this.name = name;
        this.gates = gateCount * units;
        this.kernel = Initializers.glorotUniform(seed, inputSize, gates).requireGrad().named(name + "/kernel");
        this.recurrentKernel = Initializers.orthogonal(seed + 1, units, gates).requireGrad()
                .named(name + "/recurrent_kernel");
    }

    /** The bias added to the input projection. */
    abstract Tensor inputBias();

    /** The recurrence over the projection [T, B, G*H] from {@code initial} (null: zeros). */
    abstract SequenceResult<S> recur(Tensor projection, int[] lengths, S initial);

    public abstract Tensor bias();

    @Override
    public String name() {
        return name;
    }

    @Override
    public int inputSize() {
        return kernel.dim(0);
    }

    @Override
    public int units() {
        return recurrentKernel.dim(0);
    }

    public Tensor kernel() {
        return kernel;
    }

    public Tensor recurrentKernel() {
        return recurrentKernel;
    }

    @Override
    public SequenceResult<S> forward(Tensor inputs, int[] lengths, S initial) {
        if (inputs.rank() != 3 || inputs.dim(2) != inputSize()) {
            throw new IllegalArgumentException(name + ": inputs must be [T, B, " + inputSize() + "], got "
                    + inputs.describe());
        }
        int steps = inputs.dim(0);
        int batch = inputs.dim(1);
        Tensor projection = MatrixOps.addRowVector(
                MatrixOps.matmul(inputs.view(steps * batch, inputSize()), kernel), inputBias());
        return recur(projection.view(steps, batch, gates), lengths, initial);
    }

    @Override
    public SequenceResult<S> forwardTokens(int[] tokens, int steps, int[] lengths, S initial) {
        if (steps <= 0 || tokens.length % steps != 0) {
            throw new IllegalArgumentException(name + ": " + tokens.length + " tokens do not make " + steps + " steps");
        }
        int batch = tokens.length / steps;
        Tensor projection = MatrixOps.addRowVector(ShapeOps.gatherRows(kernel, tokens), inputBias());
        return recur(projection.view(steps, batch, gates), lengths, initial);
    }

    @Override
    public S step(S state, Tensor x) {
        return forward(x.view(1, x.dim(0), x.dim(1)), null, state).state();
    }

    @Override
    public S stepTokens(S state, int[] tokens) {
        return forwardTokens(tokens, 1, null, state).state();
    }

    @Override
    public List<Tensor> parameters() {
        return List.of(kernel, recurrentKernel, bias());
    }
}
