package dev.seq2seq.translator.model;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.ShapeOps;
import dev.seq2seq.nn.attention.GlobalAttention;
import dev.seq2seq.nn.rnn.RecurrentState;
import java.util.Arrays;

/**
 * An attention decoder's state between two steps: the recurrent layer's state, the previous
 * attentional state h~_{t-1} [B, H] (fed to the next step's input), and the source the decoder
 * attends to (encoder outputs and keys [S*B, H] time-major, the lengths). Beam search gathers all
 * of it by parent row.
 *
 * @param weights the attention weights [B, S] of the step that made this state (null before the first)
 */
record AttentionState(RecurrentState inner, Tensor feed, GlobalAttention.Memory memory, Tensor weights)
        implements RecurrentState {

    @Override
    public Tensor h() {
        return inner.h();
    }

    @Override
    public Tensor[] tensors() {
        Tensor[] innerTensors = inner.tensors();
        Tensor[] all = Arrays.copyOf(innerTensors, innerTensors.length + 3);
        all[innerTensors.length] = feed;
        all[innerTensors.length + 1] = memory.values();
        all[innerTensors.length + 2] = memory.keys();
        return all;
    }

    @Override
    public AttentionState selectRows(int[] rows) {
        int batch = inner.batchSize();
        int steps = memory.steps();
        // memory row s*B + b moves to s*B' + i when rows[i] = b
        int[] memoryRows = new int[steps * rows.length];
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < rows.length; i++) {
                memoryRows[s * rows.length + i] = s * batch + rows[i];
            }
        }
        int[] lengths = null;
        if (memory.lengths() != null) {
            lengths = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                lengths[i] = memory.lengths()[rows[i]];
            }
        }
        Tensor values = ShapeOps.gatherRows(memory.values(), memoryRows);
        Tensor keys = memory.keys() == memory.values() ? values : ShapeOps.gatherRows(memory.keys(), memoryRows);
        return new AttentionState(inner.selectRows(rows), ShapeOps.gatherRows(feed, rows),
                new GlobalAttention.Memory(values, keys, steps, lengths),
                weights == null ? null : ShapeOps.gatherRows(weights, rows));
    }
}
