package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.ShapeOps;

/** The carried state of a GRU: h [B, H]. Immutable in the same sense as {@link LSTMState}. */
public record GRUState(Tensor h) implements RecurrentState {

    @Override
    public GRUState selectRows(int[] rows) {
        return new GRUState(ShapeOps.gatherRows(h, rows));
    }

    public static GRUState zeros(int batch, int units) {
        return new GRUState(Tensor.zeros(batch, units));
    }
}
