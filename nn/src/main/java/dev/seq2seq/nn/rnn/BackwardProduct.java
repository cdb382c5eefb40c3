package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.engine.kernels.PackedMatrix;

/**
 * dh_{t-1} += dz_t . U^T, the product every backward step of a recurrence makes, U being the
 * recurrent kernel [H, G*H]. It pays to transpose U once (a plain product then streams U^T row by
 * row, step after step): inside a backward pass the tape's copy, made once for the whole pass
 * ({@link Tape#transposedInBackward}), which also serves a decoder trained one step at a time (as
 * with input feeding), whose every step is a recurrence of its own; outside one, over many steps a
 * copy of its own, and for a single step U read as it is. Over {@link ForwardProduct#PACK_MIN_STEPS}
 * steps or more of enough rows, U^T is packed in strips ({@link PackedMatrix}) straight from U
 * instead, in one pass, as the forward packs U, into an array from {@link RecurrenceBuffers} that
 * {@link #release} gives back. Fewer steps of enough rows inside a backward pass read the
 * tape's packed U^T ({@link Tape#packedTransposedInBackward}), also made once for the whole pass:
 * a decoder stepped one step at a time then multiplies by packed strips at every step, as the
 * recurrences of many steps do. Every way gives the same bits.
 */
final class BackwardProduct {
    private final Tensor recurrentKernel;
    private final float[] transposed;
    private final PackedMatrix packed;
    /** Whether the packed copy's array came from {@link RecurrenceBuffers}, to go back there (not the tape's). */
    private final boolean recycled;

    private BackwardProduct(Tensor recurrentKernel, float[] transposed, PackedMatrix packed, boolean recycled) {
        this.recurrentKernel = recurrentKernel;
        this.transposed = transposed;
        this.packed = packed;
        this.recycled = recycled;
    }

    /** For a backward of {@code batch} rows over {@code steps} steps. */
    static BackwardProduct of(Kernels k, Tensor recurrentKernel, int steps, int batch) {
        if (steps >= ForwardProduct.PACK_MIN_STEPS && batch >= ForwardProduct.PACKED_MIN_ROWS) {
            // The packed U^T serves every step, however few rows a step computes (RowGroups): made
            // from U in one pass, without U^T first.
            int units = recurrentKernel.dim(0);
            int gates = recurrentKernel.dim(1);
            float[] storage = RecurrenceBuffers.take(PackedMatrix.size(gates, units, k.packedStripWidth(units)));
            PackedMatrix packed = k.packTransposed(recurrentKernel.data(), recurrentKernel.offset(), gates, gates,
                    units, storage);
            return new BackwardProduct(recurrentKernel, null, packed, true);
        }
        if (batch >= ForwardProduct.PACKED_MIN_ROWS) {
            PackedMatrix shared = Tape.packedTransposedInBackward(recurrentKernel);
            if (shared != null) {
                return new BackwardProduct(recurrentKernel, null, shared, false);
            }
        }
        float[] transposed = Tape.transposedInBackward(recurrentKernel);
        if (transposed == null && steps > 1) {
            transposed = RowGroups.transposed(recurrentKernel);
        }
        return new BackwardProduct(recurrentKernel, transposed, null, false);
    }

    /** The backward's steps are over: a packed copy's array goes back for the next pass. Not used after. */
    void release() {
        if (recycled) {
            RecurrenceBuffers.give(packed.data());
        }
    }

    /** out[rows, H] (at outOff) += dz[rows, G*H] (at dzOff) . U^T. */
    void accumulate(Kernels k, float[] dz, int dzOff, float[] out, int outOff, int rows) {
        int units = recurrentKernel.dim(0);
        int gates = recurrentKernel.dim(1);
        if (packed != null) { // any rows: a step may compute fewer than the pass's groups (RowGroups)
            k.matmulPacked(dz, dzOff, gates, packed, out, outOff, units, rows, true);
        } else if (transposed != null) {
            k.matmul(dz, dzOff, transposed, 0, out, outOff, rows, gates, units, true);
        } else {
            k.matmulTransB(dz, dzOff, recurrentKernel.data(), recurrentKernel.offset(), out, outOff, rows, gates, units,
                    true);
        }
    }
}
