package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.PackedWeights;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.engine.kernels.PackedMatrix;

/**
 * z_t += h_{t-1} . U, the product every forward step of a recurrence makes, U being the recurrent
 * kernel [H, G*H]. Over enough steps U is packed first ({@link PackedMatrix}: its columns in
 * contiguous strips, which a step's tiles read from L1 instead of L2), a copy of U made once and
 * read at every step; a decoder trained one step at a time reads the tape's packed copy, made once
 * for the recorded pass, and a decoding run the copy it packed for all its steps
 * ({@link PackedWeights}); for a sequence of a step or two outside these, or a batch of a few
 * rows, U is read as it is. Both give the same bits, so a packed pass reads its copy for every step,
 * however few of its rows a step computes ({@link RowGroups}). A {@link TokenStepper} keeps a
 * packed U for the batched decoding steps it hands to the layer.
 */
final class ForwardProduct {
    /**
     * From this many steps on, U is packed. The copy is one pass over U, as much as one step's
     * product reads of it, so a handful of steps is where it starts to pay.
     */
    static final int PACK_MIN_STEPS = 4;

    /**
     * A batch of fewer rows than this reads U as it is: from a few rows there is too little reuse
     * of each strip to pay for packing a copy for the pass. A row group has at least this many
     * ({@link RowGroups#MIN_ROWS_PER_GROUP}). (A {@link TokenStepper}, which keeps its packed copy
     * for a whole decoding run, reads it from four rows on.)
     */
    static final int PACKED_MIN_ROWS = RowGroups.MIN_ROWS_PER_GROUP;

    private final Tensor recurrentKernel;
    private final PackedMatrix packed;
    /** Whether the packed copy's array came from {@link RecurrenceBuffers}, to go back there. */
    private final boolean recycled;

    private ForwardProduct(Tensor recurrentKernel, PackedMatrix packed, boolean recycled) {
        this.recurrentKernel = recurrentKernel;
        this.packed = packed;
        this.recycled = recycled;
    }

    /**
     * For one forward pass of {@code batch} rows over {@code steps} steps: packed when both are
     * enough, into a recycled array; {@link #release} when the pass is over. Fewer steps of
     * enough rows in an op the tape records (a decoder trained one step at a time) read the
     * tape's copy of U packed for the whole recorded pass ({@link Tape#packedInForward}), which
     * every step shares.
     */
    static ForwardProduct of(Kernels k, Tensor recurrentKernel, int steps, int batch, boolean recorded) {
        PackedMatrix decoding = recorded ? null : PackedWeights.packedFor(recurrentKernel);
        if (decoding != null) { // a decoding run's copy, packed once for all its steps
            return new ForwardProduct(recurrentKernel, decoding, false);
        }
        if (batch < PACKED_MIN_ROWS) {
            return unpacked(recurrentKernel);
        }
        if (steps < PACK_MIN_STEPS) {
            PackedMatrix shared = recorded ? Tape.packedInForward(recurrentKernel) : null;
            return shared == null ? unpacked(recurrentKernel) : new ForwardProduct(recurrentKernel, shared, false);
        }
        int units = recurrentKernel.dim(0);
        int gates = recurrentKernel.dim(1);
        float[] storage = RecurrenceBuffers.take(PackedMatrix.size(units, gates, k.packedStripWidth(gates)));
        return new ForwardProduct(recurrentKernel,
                k.pack(recurrentKernel.data(), recurrentKernel.offset(), gates, units, gates, storage), true);
    }

    /** U read as it is. */
    static ForwardProduct unpacked(Tensor recurrentKernel) {
        return new ForwardProduct(recurrentKernel, null, false);
    }

    /**
     * U packed now, into an array of its own: a snapshot, kept as long as the caller keeps it (a
     * {@link TokenStepper}'s decoding steps), to be made again after U changes.
     */
    static ForwardProduct packed(Kernels k, Tensor recurrentKernel) {
        int units = recurrentKernel.dim(0);
        int gates = recurrentKernel.dim(1);
        return new ForwardProduct(recurrentKernel,
                k.pack(recurrentKernel.data(), recurrentKernel.offset(), gates, units, gates), false);
    }

    /** The pass is over: the packed copy's array goes back for the next pass to fill. Not used after. */
    void release() {
        if (recycled) {
            RecurrenceBuffers.give(packed.data());
        }
    }

    /** z[rows, G*H] (at zOff) += h[rows, H] (at hOff) . U. */
    void accumulate(Kernels k, float[] h, int hOff, float[] z, int zOff, int rows) {
        int units = recurrentKernel.dim(0);
        int gates = recurrentKernel.dim(1);
        if (packed != null) { // any rows: a step may compute fewer than the pass's groups (RowGroups)
            k.matmulPacked(h, hOff, units, packed, z, zOff, gates, rows, true);
        } else {
            k.matmul(h, hOff, recurrentKernel.data(), recurrentKernel.offset(), z, zOff, rows, units, gates, true);
        }
    }
}
