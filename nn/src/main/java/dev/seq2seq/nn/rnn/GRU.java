package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.ShapeOps;
import dev.seq2seq.nn.init.Initializers;
import java.util.List;

/**
 * A Keras GRU layer with the default reset_after=True: kernel [in, 3H] (glorot uniform),
 * recurrent kernel [H, 3H] (orthogonal), bias [2, 3H] (zeros; row 0 is added to x W, row 1 to
 * h U), gate order z, r, h. Math in {@link GRUCell}, recurrence in {@link GRURecurrence}, the
 * op-by-op version in {@link GRUReferenceCell}. Same two paths as {@link LSTM}.
 */
public final class GRU implements RecurrentLayer<GRUState> {
    private final String name;
    private final Tensor kernel;
    private final Tensor recurrentKernel;
    private final Tensor bias;

    public GRU(String name, int inputSize, int units, long seed) {
        this.name = name;
        this.kernel = Initializers.glorotUniform(seed, inputSize, 3 * units).requireGrad().named(name + "/kernel");
        this.recurrentKernel = Initializers.orthogonal(seed + 1, units, 3 * units).requireGrad()
                .named(name + "/recurrent_kernel");
        this.bias = Tensor.zeros(2, 3 * units).requireGrad().named(name + "/bias");
    }

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

    public Tensor bias() {
        return bias;
    }

    /** inputs [T, B, in]; lengths [B] or null; initial null for zeros. */
    @Override
    public SequenceResult<GRUState> forward(Tensor inputs, int[] lengths, GRUState initial) {
        if (inputs.rank() != 3 || inputs.dim(2) != inputSize()) {
            throw new IllegalArgumentException(name + ": inputs must be [T, B, " + inputSize() + "], got "
                    + inputs.describe());
        }
        int steps = inputs.dim(0);
        int batch = inputs.dim(1);
        Tensor xz = MatrixOps.addRowVector(MatrixOps.matmul(inputs.view(steps * batch, inputSize()), kernel),
                bias.row(0));
        return recur(xz.view(steps, batch, 3 * units()), lengths, initial);
    }

    /** Token ids, time-major (tokens[t * B + b]); a one-hot row times the kernel is a row lookup. */
    @Override
    public SequenceResult<GRUState> forwardTokens(int[] tokens, int steps, int[] lengths, GRUState initial) {
        if (steps <= 0 || tokens.length % steps != 0) {
            throw new IllegalArgumentException(name + ": " + tokens.length + " tokens do not make " + steps + " steps");
        }
        int batch = tokens.length / steps;
        Tensor xz = MatrixOps.addRowVector(ShapeOps.gatherRows(kernel, tokens), bias.row(0));
        return recur(xz.view(steps, batch, 3 * units()), lengths, initial);
    }

    @Override
    public GRUState step(GRUState state, Tensor x) {
        return forward(x.view(1, x.dim(0), x.dim(1)), null, state).state();
    }

    @Override
    public GRUState stepTokens(GRUState state, int[] tokens) {
        return forwardTokens(tokens, 1, null, state).state();
    }

    private SequenceResult<GRUState> recur(Tensor xz, int[] lengths, GRUState initial) {
        GRUState start = initial != null ? initial : GRUState.zeros(xz.dim(1), units());
        return GRURecurrence.run(xz, recurrentKernel, bias.row(1), start.h(), lengths);
    }

    @Override
    public GRUState state(Tensor... parts) {
        if (parts.length != 1) {
            throw new IllegalArgumentException(name + ": a GRU state has 1 part (h), got " + parts.length);
        }
        return new GRUState(parts[0]);
    }

    @Override
    public List<Tensor> parameters() {
        return List.of(kernel, recurrentKernel, bias);
    }
}
