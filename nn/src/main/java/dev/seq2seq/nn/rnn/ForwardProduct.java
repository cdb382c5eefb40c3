package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.engine.kernels.PackedMatrix;
import dev.seq2seq.engine.kernels.ParallelKernels;

/**
 * z_t += h_{t-1} . U, the product every forward step of a recurrence makes, U being the recurrent
 * kernel [H, G*H]. Over enough steps U is packed first ({@link PackedMatrix}: its columns in
 * contiguous strips, which a step's tiles read from L1 instead of L2), a copy of U made once and
 * read at every step; for a sequence of a step or two (a decoder trained one step at a time), and
 * for a batch too small to cut into row groups (whose one product the cores then share by
 * columns), U is read as it is. Both give the same bits. A {@link TokenStepper} keeps a packed U for the batched
 * decoding steps it hands to the layer.
 */
final class ForwardProduct {
    /**
     * From this many steps on, U is packed. The copy is one pass over U, as much as one step's
     * product reads of it, so a handful of steps is where it starts to pay.
     */
    static final int PACK_MIN_STEPS = 4;

    private final Tensor recurrentKernel;
    private final PackedMatrix packed;

    private ForwardProduct(Tensor recurrentKernel, PackedMatrix packed) {
        this.recurrentKernel = recurrentKernel;
        this.packed = packed;
    }

    /**
     * For a forward pass over {@code steps} steps of {@code batch} rows: packed over enough steps
     * when each row group's product runs on one core ({@link RowGroups#productsOnOneCore}).
     */
    static ForwardProduct of(ParallelKernels k, Tensor recurrentKernel, int steps, int batch) {
        return steps >= PACK_MIN_STEPS && RowGroups.productsOnOneCore(k, batch)
                ? packed(k, recurrentKernel) : unpacked(recurrentKernel);
    }

    /** U read as it is. */
    static ForwardProduct unpacked(Tensor recurrentKernel) {
        return new ForwardProduct(recurrentKernel, null);
    }

    /** U packed now: a snapshot, to be made again after U changes. */
    static ForwardProduct packed(Kernels k, Tensor recurrentKernel) {
        int units = recurrentKernel.dim(0);
        int gates = recurrentKernel.dim(1);
        return new ForwardProduct(recurrentKernel,
                k.pack(recurrentKernel.data(), recurrentKernel.offset(), gates, units, gates));
    }

    /** z[rows, G*H] (at zOff) += h[rows, H] (at hOff) . U. */
    void accumulate(Kernels k, float[] h, int hOff, float[] z, int zOff, int rows) {
        int units = recurrentKernel.dim(0);
        int gates = recurrentKernel.dim(1);
        if (packed != null) {
            k.matmulPacked(h, hOff, units, packed, z, zOff, gates, rows, true);
        } else {
            k.matmul(h, hOff, recurrentKernel.data(), recurrentKernel.offset(), z, zOff, rows, units, gates, true);
        }
    }
}
