package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import java.util.List;

/** What a recurrent layer carries from one step to the next; h is also its output. */
public interface RecurrentState {
    /** The hidden state, [B, H]: the layer's output at the last step. */
    Tensor h();

    /** All the state tensors, each [B, H] (h for a GRU; h and c for an LSTM). */
    List<Tensor> parts();

    default int batchSize() {
        return h().dim(0);
    }
}
