package dev.seq2seq.nn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Bf16;
import dev.seq2seq.engine.kernels.GemvMatrix;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.engine.kernels.PackedMatrix;

/**
 * A {@link Dense} layer's logits for decoding, x . kernel + bias, with the kernel held in a
 * {@link WeightPrecision}: a snapshot, to be made again after the weights change. In float32 it is
 * the product of the layer's own {@link Dense#logits}, then the bias, over a copy of the kernel laid
 * out for the number of rows: for fewer than {@link #PACKED_MIN_ROWS} rows, over a copy that a row
 * reads front to back ({@link GemvMatrix}: one sentence's logits over the seed's 93 columns in
 * 0.9-1.2 us instead of 1.4 on Zen 5), and for more, over a copy packed in strips once
 * ({@link PackedMatrix}), without the copies of the kernel's strips, the last one padded, that
 * every call of the plain product makes (for the seed's head, a third of its time in a batch of
 * 32 sentences a core); either way the same bits. In bf16 each row of x is multiplied by the
 * kernel's bf16 copy (half the bytes: for one sentence the seed's head is 95 KB a step in
 * float32; its columns padded with zero weights to a multiple of 32, 93 to 96, so that no column
 * is left to a scalar loop), then the bias is added, in the order {@link Dense#logits} uses: on
 * the vector backend the bits of the layer's logits over its kernel rounded to bf16. Nothing is
 * recorded for gradients.
 */
public final class DecodingHead {
    /** Fewer rows read the gemv copy: one sentence's step is a row times a matrix, no tiles. */
    static final int PACKED_MIN_ROWS = 8;

    private final Dense dense;
    /** Null in bf16; else the kernel [in, out] in strips, for {@link #PACKED_MIN_ROWS} rows or more. */
    private final PackedMatrix packedKernel;
    /** Null in bf16; else the kernel [in, out] laid out for a few rows at a time, for fewer rows. */
    private final GemvMatrix gemvKernel;
    /** Null in float32; else the kernel [in, out] with its columns padded to {@link #padded}, as {@link Bf16#pairs}. */
    private final int[] bf16Kernel;
    /** The kernel's columns as stored in bf16 ({@link Bf16#paddedColumns}). */
    private final int padded;

    public DecodingHead(Dense dense, WeightPrecision precision) {
        this.dense = dense;
        int in = dense.inputSize();
        int out = dense.outputSize();
        this.padded = Bf16.paddedColumns(out);
        Tensor kernel = dense.kernel();
        this.bf16Kernel = precision == WeightPrecision.BF16
                ? Bf16.pairs(kernel.data(), kernel.offset(), out, in, out, padded) : null;
        this.packedKernel = precision == WeightPrecision.FLOAT32
                ? Backend.kernels().pack(kernel.data(), kernel.offset(), out, in, out) : null;
        this.gemvKernel = precision == WeightPrecision.FLOAT32
                ? Backend.kernels().packForGemv(kernel.data(), kernel.offset(), out, in, out) : null;
    }

    /** x [N, in] -> the logits [N, out]. */
    public Tensor logits(Tensor x) {
        int in = dense.inputSize();
        int out = dense.outputSize();
        if (x.rank() != 2 || x.dim(1) != in) {
            throw new IllegalArgumentException("decoding head: input must be [N, " + in + "], got " + x.describe());
        }
        int rows = x.dim(0);
        Tensor result = Tensor.zeros(rows, out); // filled in place (Tensor.of would copy it)
        float[] logits = result.data();
        Kernels k = Backend.kernels();
        Tensor bias = dense.bias();
        if (bf16Kernel == null) {
            // Dense#logits's order: the product (each sum from zero, p = 0, 1, ...), then the bias
            if (rows < PACKED_MIN_ROWS) {
                k.matmulGemv(x.data(), x.offset(), in, rows, gemvKernel, logits, 0, out, false);
            } else {
                k.matmulPacked(x.data(), x.offset(), in, packedKernel, logits, 0, out, rows, false);
            }
            k.addToRows(logits, 0, bias.data(), bias.offset(), logits, 0, rows, out);
            return result;
        }
        float[] row = new float[padded];
        for (int r = 0; r < rows; r++) {
            k.rowTimesBf16Matrix(x.data(), x.offset() + r * in, bf16Kernel, 0, row, 0, in, padded, false);
            System.arraycopy(row, 0, logits, r * out, out);
        }
        k.addToRows(logits, 0, bias.data(), bias.offset(), logits, 0, rows, out);
        return result;
    }
}
