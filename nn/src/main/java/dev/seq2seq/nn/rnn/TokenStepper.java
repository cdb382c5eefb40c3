package dev.seq2seq.nn.rnn;

/**
 * Greedy decoding's inner step, one token per row, for a batch of one to three rows: a snapshot
 * of a layer's weights laid out for it. Build one per decoding run with
 * {@link GatedRecurrentLayer#tokenStepper()} and build it again after the weights change.
 *
 * <p>With one row, a step's cost is reading the recurrent kernel U [H, G*H] (1 MB for the seed's
 * LSTM) from cache: the product h . U does 2 FLOPs per float read. The stepper cuts the units into
 * one range per core and copies, for each range, the columns of U that its gates need into one
 * contiguous panel [H, G*width]; each core then reads only its panel, front to back, and also
 * computes its units' cell, so a step is one hand-off between the cores. The numbers are those of
 * {@link RecurrentLayer#stepTokens}, to the bit: each element is summed in the same order.
 *
 * @param <S> the layer's state
 */
public interface TokenStepper<S extends RecurrentState> {
    /** The most rows the panels serve; larger batches are better served by the layer's row groups. */
    int MAX_ROWS = 3;

    /** state [B, H], tokens [B] -> the next state. Batches of more than {@link #MAX_ROWS} take the layer's own step. */
    S step(S state, int[] tokens);
}
