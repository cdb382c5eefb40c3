package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.nn.WeightPrecision;
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

    /**
     * The recurrence over the projection [T, B, G*H] from {@code initial} (null: zeros). The
     * projection is this layer's own, read by nothing else: when a backward will follow, the
     * recurrence turns its storage into its gate activations and then their gradients instead of
     * copying it; when none will, it copies one step's rows at a time into one step's storage
     * ({@link Projection}).
     */
    abstract SequenceResult<S> recur(Projection projection, int steps, int batch, int[] lengths, S initial);

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
        Tensor projection = MatrixOps.affine(inputs.view(steps * batch, inputSize()), kernel, inputBias());
        return recur(Projection.of(projection), steps, batch, lengths, initial);
    }

    @Override
    public SequenceResult<S> forwardTokens(int[] tokens, int steps, int[] lengths, S initial) {
        if (steps <= 0 || tokens.length % steps != 0) {
            throw new IllegalArgumentException(name + ": " + tokens.length + " tokens do not make " + steps + " steps");
        }
        return recur(Projection.ofTokens(name, tokens, kernel, inputBias()), steps, tokens.length / steps, lengths,
                initial);
    }

    @Override
    public S step(S state, Tensor x) {
        return forward(x.view(1, x.dim(0), x.dim(1)), null, state).state();
    }

    /**
     * One step from token ids. When nothing is to be recorded for gradients (decoding), it runs
     * {@link #inferenceStep}: the same arithmetic in the same order, so the same numbers to the
     * bit, without the sequence op's bookkeeping (saved activations, a packed [T + 2, B, H]
     * result, tape checks), which at batch 1 cost as much as the step's arithmetic.
     */
    @Override
    public S stepTokens(S state, int[] tokens) {
        return stepTokens(state, tokens, ForwardProduct.unpacked(recurrentKernel));
    }

    /** {@link #stepTokens}, h . U made by {@code product} when nothing is recorded (a stepper's packed U). */
    final S stepTokens(S state, int[] tokens, ForwardProduct product) {
        if (state != null && !Tape.recording(kernel, recurrentKernel, bias()) && !Tape.recording(state.tensors())) {
            checkTokens(tokens, state.batchSize());
            return inferenceStep(state, tokens, product);
        }
        return forwardTokens(tokens, 1, null, state).state();
    }

    /**
     * z = onehot(token) W_tokens + feed W_feed + b, then the cell: the one-hot part is a row
     * lookup of the kernel plus the bias, the feed part added to it in the same op
     * ({@link MatrixOps#oneHotProjectionPlus}); the same bits as the lookup passed to
     * {@link #stepWithProjection}.
     */
    @Override
    public S stepWithFeed(S state, int[] tokens, Tensor feed) {
        int features = feed.dim(1);
        int tokenRows = inputSize() - features;
        if (feed.rank() != 2 || feed.dim(0) != tokens.length || tokenRows < 1) {
            throw new IllegalArgumentException(name + ": feed " + feed.describe() + " does not fit " + tokens.length
                    + " tokens and an input of " + inputSize());
        }
        for (int r = 0; r < tokens.length; r++) {
            if (tokens[r] < 0 || tokens[r] >= tokenRows) {
                throw new IllegalArgumentException(name + ": token " + tokens[r] + " at row " + r + " is outside 0.."
                        + (tokenRows - 1));
            }
        }
        Tensor z = MatrixOps.oneHotProjectionPlus(tokens, kernel, inputBias(), feed, kernel.rows(tokenRows,
                inputSize()));
        return recur(Projection.of(z), 1, tokens.length, null, state).state();
    }

    /** x [N, E] . kernel[:E, :] + input bias, for E below the input size (see the interface). */
    @Override
    public Tensor projectLeadingInputs(Tensor x) {
        if (x.rank() != 2 || x.dim(1) < 1 || x.dim(1) >= inputSize()) {
            throw new IllegalArgumentException(name + ": leading inputs must be [N, E] with E in 1.."
                    + (inputSize() - 1) + ", got " + x.describe());
        }
        return MatrixOps.affine(x, kernel.rows(0, x.dim(1)), inputBias());
    }

    /**
     * z = projection + feed . kernel[in - F:, :] (a view: its gradient lands in the kernel's), then
     * the cell; recorded like any step. Each element of z is the leading inputs' sum and bias, then
     * the feed's sum added once, in that order whether the projection came from one product over
     * all steps or from this step's rows alone: the same bits either way.
     */
    @Override
    public S stepWithProjection(S state, Tensor projection, Tensor feed) {
        int batch = projection.dim(0);
        if (projection.rank() != 2 || projection.dim(1) != gates || feed.rank() != 2 || feed.dim(0) != batch
                || feed.dim(1) >= inputSize()) {
            throw new IllegalArgumentException(name + ": projection " + projection.describe() + " and feed "
                    + feed.describe() + " do not fit [B, " + gates + "] and [B, F] with F below " + inputSize());
        }
        Tensor z = MatrixOps.matmulPlus(feed, kernel.rows(inputSize() - feed.dim(1), inputSize()), projection);
        return recur(Projection.of(z), 1, batch, null, state).state();
    }

    /** One step from a state for token ids already checked; nothing recorded. */
    abstract S inferenceStep(S state, int[] tokens, ForwardProduct product);

    /**
     * A snapshot of the weights laid out for decoding steps of one to three rows (see
     * {@link TokenStepper}), cut for as many threads as the kernels have.
     */
    @Override
    public TokenStepper<S> tokenStepper(WeightPrecision precision) {
        return new UnitSplitStepper<>(this, Backend.kernels().threads(), precision);
    }

    /** How many gates the layer has (4 for the LSTM, 3 for the GRU). */
    final int gateCount() {
        return gates / units();
    }

    /**
     * One step for units [first, first + width) of every row, with the panel of U holding those
     * units' gate columns ([H, G*width], gate by gate; see {@link UnitPanel}): writes their part of
     * each of the next state's tensors ({@code next[i]} is [B, H], in
     * {@link RecurrentState#tensors()} order). Nothing recorded.
     */
    abstract void stepUnits(S state, int[] tokens, int first, int width, UnitPanel panel, float[][] next);

    /**
     * out[b, g*width + j] = kernel[tokens[b], g*H + first + j] + inputBias[g*H + first + j]: the
     * input projection of one step, for units [first, first + width) of each gate ([B, G*H] for
     * all the units: first 0, width H), written over whatever {@code out} holds; returns out.
     */
    final float[] projectTokens(int[] tokens, Tensor inputBias, int first, int width, float[] out) {
        int units = units();
        int gateCount = gateCount();
        int partGates = gateCount * width;
        Kernels k = Backend.kernels();
        // one pass, kernel row + bias straight into out; all the units: the gates side by side, one call a row
        int pieces = width == units ? 1 : gateCount;
        int pieceWidth = width == units ? gates : width;
        for (int b = 0; b < tokens.length; b++) {
            for (int g = 0; g < pieces; g++) {
                int column = g * units + first;
                k.add(kernel.data(), kernel.offset() + tokens[b] * gates + column, inputBias.data(),
                        inputBias.offset() + column, out, b * partGates + g * width, pieceWidth);
            }
        }
        return out;
    }

    final void checkTokens(int[] tokens, int batch) {
        if (tokens.length != batch) {
            throw new IllegalArgumentException(name + ": " + tokens.length + " tokens for a state of batch " + batch);
        }
        for (int r = 0; r < tokens.length; r++) {
            if (tokens[r] < 0 || tokens[r] >= inputSize()) {
                throw new IndexOutOfBoundsException(name + ": token " + tokens[r] + " at position " + r
                        + " is outside the rows of " + kernel.describe());
            }
        }
    }

    @Override
    public List<Tensor> parameters() {
        return List.of(kernel, recurrentKernel, bias());
    }
}
