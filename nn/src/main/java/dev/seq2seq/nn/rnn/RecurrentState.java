package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;

/** What a recurrent layer carries from one step to the next; h is also its output. */
public interface RecurrentState {
    /** The hidden state, [B, H]: the layer's output at the last step. */
    Tensor h();

    /** Every tensor the state is made of (h, and c for the LSTM). */
    default Tensor[] tensors() {
        return new Tensor[] {h()};
    }

    /**
     * The state whose row i is row {@code rows[i]} of this one: each hypothesis of a beam goes on
     * from its parent's state. Copies the chosen rows only (a gather, recorded on the tape only
     * when one is recording).
     */
    RecurrentState selectRows(int[] rows);

    default int batchSize() {
        return h().dim(0);
    }
}
