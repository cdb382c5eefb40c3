package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Kernels;

/**
 * dh_{t-1} += dz_t . U^T, the product every backward step of a recurrence makes, U being the
 * recurrent kernel [H, G*H]. It pays to transpose U once (a plain product then streams U^T row by
 * row, step after step): inside a backward pass the tape's copy, made once for the whole pass
 * ({@link Tape#transposedInBackward}), which also serves a decoder trained one step at a time (as
 * with input feeding), whose every step is a recurrence of its own; outside one, over many steps a
 * copy of its own, and for a single step U read as it is.
 */
final class BackwardProduct {
    private final Tensor recurrentKernel;
    private final float[] transposed;

    private BackwardProduct(Tensor recurrentKernel, float[] transposed) {
        this.recurrentKernel = recurrentKernel;
        this.transposed = transposed;
    }

    /** For a backward over {@code steps} steps. */
    static BackwardProduct of(Tensor recurrentKernel, int steps) {
        float[] shared = Tape.transposedInBackward(recurrentKernel);
        if (shared != null) {
            return new BackwardProduct(recurrentKernel, shared);
        }
        return new BackwardProduct(recurrentKernel, steps > 1 ? RowGroups.transposed(recurrentKernel) : null);
    }

    /** out[rows, H] += dz[rows, G*H] (at dzOff) . U^T. */
    void accumulate(Kernels k, float[] dz, int dzOff, float[] out, int rows) {
        int units = recurrentKernel.dim(0);
        int gates = recurrentKernel.dim(1);
        if (transposed != null) {
            k.matmul(dz, dzOff, transposed, 0, out, 0, rows, gates, units, true);
        } else {
            k.matmulTransB(dz, dzOff, recurrentKernel.data(), recurrentKernel.offset(), out, 0, rows, gates, units,
                    true);
        }
    }
}
