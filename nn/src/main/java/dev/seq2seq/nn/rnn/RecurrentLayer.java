package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.nn.Module;
import dev.seq2seq.nn.WeightPrecision;

/**
 * What the LSTM and the GRU have in common, so that a model can take either: a whole-sequence
 * path for training and a one-step path with an immutable carried state for decoding.
 *
 * @param <S> the layer's state type
 */
public interface RecurrentLayer<S extends RecurrentState> extends Module {
    /**
     * The fewest rows of a batch a core takes through a recurrence: fewer, and each core's matrix
     * products get too thin to pay for reading all of U, so a smaller batch shares its steps'
     * products by units instead. Callers that cut a batch between the cores themselves (decoding
     * groups of sentences) cut it no finer.
     */
    int MIN_ROWS_PER_CORE = 16;

    String name();

    int inputSize();

    int units();

    /** inputs [T, B, in]; lengths [B] or null (all T); initial null for zeros. */
    SequenceResult<S> forward(Tensor inputs, int[] lengths, S initial);

    /** Token ids time-major, tokens[t * B + b], each below {@link #inputSize()} (one-hot input without the one-hot). */
    SequenceResult<S> forwardTokens(int[] tokens, int steps, int[] lengths, S initial);

    /** One step from a state: x [B, in] -> the next state. */
    S step(S state, Tensor x);

    /** One step on token ids [B]. */
    S stepTokens(S state, int[] tokens);

    /**
     * One step whose input is a one-hot token followed by dense features, x = [onehot(token) ;
     * feed] (an attention decoder's input feeding): the kernel's first rows are the tokens', its
     * last {@code feed.dim(1)} rows the features'. tokens [B], feed [B, F] -> the next state.
     */
    S stepWithFeed(S state, int[] tokens, Tensor feed);

    /**
     * The part of the input projection that does not wait for a feed: x [N, E] times the kernel's
     * first E rows, plus the input bias, [N, G*H]. For an input [x ; feed] whose feed comes step by
     * step (input feeding on dense inputs such as embeddings), the x part of every step is then one
     * product, and {@link #stepWithProjection} adds the feed's part at each step.
     */
    Tensor projectLeadingInputs(Tensor x);

    /**
     * One step whose input is [x ; feed], given x's part of the projection ({@code projection}
     * [B, G*H], rows of {@link #projectLeadingInputs}) and the feed [B, F], which meets the
     * kernel's last F rows: z = projection + feed . kernel[in - F:, :], then the cell.
     */
    S stepWithProjection(S state, Tensor projection, Tensor feed);

    /** The all-zero state of a batch: where a sequence starts when no initial state is given. */
    S zeroState(int batch);

    /** A snapshot of the weights laid out for fast decoding steps (see {@link TokenStepper}), in float32. */
    default TokenStepper<S> tokenStepper() {
        return tokenStepper(WeightPrecision.FLOAT32);
    }

    /**
     * As {@link #tokenStepper()}, the recurrent kernel held in {@code precision}: with bf16, each
     * step reads half the bytes and computes what the layer's own step computes over its recurrent
     * kernel rounded to bf16 ({@link WeightPrecision#roundInPlace}).
     */
    TokenStepper<S> tokenStepper(WeightPrecision precision);
}
