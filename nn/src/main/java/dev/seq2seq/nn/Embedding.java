package dev.seq2seq.nn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.ShapeOps;
import java.util.List;

/**
 * A table of vectors, one row per token id: lookup(ids)[r] = table[ids[r]]. Keras's default
 * initialiser, U(-0.05, 0.05). The padding id's row starts at zero and never receives a gradient,
 * so padding contributes nothing whatever the optimiser does.
 *
 * <p>Derivative: d table[v] = sum of the output-row gradients of the positions that picked v.
 */
public final class Embedding implements Module {
    private final Tensor table;
    private final int paddingId;

    /** {@code paddingId} -1 means no padding row. */
    public Embedding(String name, int vocabularySize, int dimension, int paddingId, long seed) {
        if (paddingId < -1 || paddingId >= vocabularySize) {
            throw new IllegalArgumentException(name + ": padding id " + paddingId + " is outside the vocabulary of "
                    + vocabularySize);
        }
        this.table = Tensor.uniform(seed, -0.05f, 0.05f, vocabularySize, dimension).named(name + "/embeddings");
        if (paddingId >= 0) {
            table.row(paddingId).fill(0f);
        }
        table.requireGrad();
        this.paddingId = paddingId;
    }

    public Tensor table() {
        return table;
    }

    public int paddingId() {
        return paddingId;
    }

    /** ids[N] -> [N, dimension]. */
    public Tensor lookup(int[] ids) {
        return ShapeOps.gatherRows(table, ids, paddingId);
    }

    @Override
    public List<Tensor> parameters() {
        return List.of(table);
    }
}
