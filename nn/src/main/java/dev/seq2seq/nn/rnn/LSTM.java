package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.ShapeOps;
import dev.seq2seq.nn.init.Initializers;
import java.util.List;

/**
 * A Keras LSTM layer: kernel [in, 4H] (glorot uniform), recurrent kernel [H, 4H] (orthogonal),
 * bias [4H] (zeros, but 1 for the forget gate: Keras's unit_forget_bias, which lets gradients flow
 * through c from the start), gate order i, f, c, o, h = o * tanh(c). The math is in
 * {@link LSTMCell}, the recurrence and its backward in {@link LSTMRecurrence}, and a version built
 * from engine ops in {@link LSTMReferenceCell}.
 *
 * <p>Two paths, same numbers: {@link #forward} runs a whole (padded) sequence, for training;
 * {@link #step} runs one step from a carried state, for decoding. Inputs are either dense
 * [T, B, in] or token ids, for which "one-hot times kernel" is a row lookup of the kernel.
 */
public final class LSTM implements RecurrentLayer<LSTMState> {
    private final String name;
    private final Tensor kernel;
    private final Tensor recurrentKernel;
    private final Tensor bias;

    public LSTM(String name, int inputSize, int units, long seed) {
        this.name = name;
        this.kernel = Initializers.glorotUniform(seed, inputSize, 4 * units).requireGrad().named(name + "/kernel");
        this.recurrentKernel = Initializers.orthogonal(seed + 1, units, 4 * units).requireGrad()
                .named(name + "/recurrent_kernel");
        Tensor b = Tensor.zeros(4 * units);
        b.rows(units, 2 * units).fill(1f);
        this.bias = b.requireGrad().named(name + "/bias");
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

    /**
     * Runs the sequence inputs [T, B, in]. {@code lengths} [B] gives each row's true length (null:
     * all T); {@code initial} null starts from zeros.
     */
    @Override
    public SequenceResult<LSTMState> forward(Tensor inputs, int[] lengths, LSTMState initial) {
        if (inputs.rank() != 3 || inputs.dim(2) != inputSize()) {
            throw new IllegalArgumentException(name + ": inputs must be [T, B, " + inputSize() + "], got "
                    + inputs.describe());
        }
        int steps = inputs.dim(0);
        int batch = inputs.dim(1);
        Tensor xw = MatrixOps.addRowVector(MatrixOps.matmul(inputs.view(steps * batch, inputSize()), kernel), bias);
        return recur(xw.view(steps, batch, 4 * units()), lengths, initial);
    }

    /**
     * Runs a sequence of token ids, time-major: {@code tokens[t * B + b]} is row b's token at step t,
     * each id below {@link #inputSize()}. Same as {@link #forward} on one-hot rows, without them.
     */
    @Override
    public SequenceResult<LSTMState> forwardTokens(int[] tokens, int steps, int[] lengths, LSTMState initial) {
        if (steps <= 0 || tokens.length % steps != 0) {
            throw new IllegalArgumentException(name + ": " + tokens.length + " tokens do not make " + steps + " steps");
        }
        int batch = tokens.length / steps;
        Tensor xw = MatrixOps.addRowVector(ShapeOps.gatherRows(kernel, tokens), bias);
        return recur(xw.view(steps, batch, 4 * units()), lengths, initial);
    }

    /** One step from a carried state: x [B, in] -> the new state (the given one is not changed). */
    @Override
    public LSTMState step(LSTMState state, Tensor x) {
        return forward(x.view(1, x.dim(0), x.dim(1)), null, state).state();
    }

    /** One step on token ids [B]. */
    @Override
    public LSTMState stepTokens(LSTMState state, int[] tokens) {
        return forwardTokens(tokens, 1, null, state).state();
    }

    private SequenceResult<LSTMState> recur(Tensor xw, int[] lengths, LSTMState initial) {
        int batch = xw.dim(1);
        LSTMState start = initial != null ? initial : LSTMState.zeros(batch, units());
        return LSTMRecurrence.run(xw, recurrentKernel, start.h(), start.c(), lengths);
    }

    @Override
    public LSTMState state(Tensor... parts) {
        if (parts.length != 2) {
            throw new IllegalArgumentException(name + ": an LSTM state has 2 parts (h, c), got " + parts.length);
        }
        return new LSTMState(parts[0], parts[1]);
    }

    @Override
    public List<Tensor> parameters() {
        return List.of(kernel, recurrentKernel, bias);
    }
}
