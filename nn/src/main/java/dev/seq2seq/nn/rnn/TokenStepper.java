package dev.seq2seq.nn.rnn;

import java.util.function.IntFunction;

/**
 * Decoding's inner step, one token per row: a snapshot of a layer's weights laid out for
 * batches of one to three rows, larger batches going to the layer's own step over a packed U,
 * copied once for the run. Build one per decoding run with
 * {@link RecurrentLayer#tokenStepper()} and build it again after the weights change.
 *
 * <p>With one row, a step's cost is reading the recurrent kernel U [H, G*H] (1 MB for the seed's
 * LSTM) from cache: the product h . U does 2 FLOPs per float read. The stepper cuts the units into
 * one range per core and copies, for each range, the columns of U that its gates need into one
 * contiguous panel [H, G*width]; each core then reads only its panel, front to back, and also
 * computes its units' cell, so a step is one hand-off between the cores, and a {@link #run} of
 * steps one meeting a step. The numbers are those of {@link RecurrentLayer#stepTokens}, to the
 * bit: each element is summed in the same order.
 *
 * <p>With bf16 panels ({@link RecurrentLayer#tokenStepper(dev.seq2seq.nn.WeightPrecision)}) each
 * core reads half the bytes; the numbers are then those of the layer's step over U rounded to
 * bf16 (on the vector backend to the bit, the scalar backend's float32 product being unfused).
 *
 * @param <S> the layer's state
 */
public interface TokenStepper<S extends RecurrentState> {
    /** The most rows the panels serve; larger batches are better served by the layer's row groups. */
    int MAX_ROWS = 3;

    /**
     * state [B, H], tokens [B] -> the next state. With float32 panels, batches of more than
     * {@link #MAX_ROWS} take the layer's own step; bf16 panels serve any batch, row by row.
     */
    S step(S state, int[] tokens);

    /**
     * As {@link #step(RecurrentState, int[])} for step {@code t} of sentences of different
     * lengths: a row whose sentence has ended ({@code t >= lengths[b]}) keeps its state, as the
     * sequence op carries it, so an encoder stepped to the end holds the sequence op's final
     * states, to the bit. {@code lengths} null: every row is real.
     */
    S step(S state, int[] tokens, int[] lengths, int t);

    /**
     * Steps from {@code state} until the tokens say stop, and returns the last state: step t feeds
     * {@code at(t, h)}, h being the state step t starts from ({@link StepTokens}); {@code lengths}
     * as in {@link #step(RecurrentState, int[], int[], int)}, or null. The same states, to the bit,
     * as calling {@link #step} once per step.
     *
     * <p>A stepper may run the steps on several threads at once, each keeping its share of the
     * work through the whole run, and each choosing the tokens itself (no thread waits for
     * another's choice). So {@code tokensOfPart} makes one {@link StepTokens} per thread, before
     * the run, each called once with its part's index: given the same h, each must choose the
     * same tokens. The one made for part 0 is the one the run follows, and the one to read a
     * record of the choices from. This default makes only that one and steps on the calling
     * thread.
     */
    default S run(S state, int[] lengths, IntFunction<StepTokens> tokensOfPart) {
        return stepOneAtATime(this, state, lengths, tokensOfPart.apply(0));
    }

    /** {@link #run} through {@link #step}, on the calling thread. */
    static <S extends RecurrentState> S stepOneAtATime(TokenStepper<S> stepper, S state, int[] lengths,
                                                        StepTokens tokens) {
        for (int t = 0; ; t++) {
            int[] fed = tokens.at(t, state.h());
            if (fed == null) {
                return state;
            }
            state = lengths == null ? stepper.step(state, fed) : stepper.step(state, fed, lengths, t);
        }
    }
}
