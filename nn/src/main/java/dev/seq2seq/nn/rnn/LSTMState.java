package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.ShapeOps;

/**
 * The carried state of an LSTM: h and c, each [B, H]. Treated as immutable: a step returns a new
 * state and never writes into the one it was given, so a decoder may keep old states around
 * (beam search does).
 */
public record LSTMState(Tensor h, Tensor c) implements RecurrentState {

    @Override
    public Tensor[] tensors() {
        return new Tensor[] {h, c};
    }

    @Override
    public LSTMState selectRows(int[] rows) {
        return new LSTMState(ShapeOps.gatherRows(h, rows), ShapeOps.gatherRows(c, rows));
    }

    /** All-zero state for a batch. */
    public static LSTMState zeros(int batch, int units) {
        return new LSTMState(Tensor.zeros(batch, units), Tensor.zeros(batch, units));
    }
}
