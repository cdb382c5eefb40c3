package dev.seq2seq.nn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Bf16;
import dev.seq2seq.engine.kernels.GemvMatrix;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.engine.kernels.PackedMatrix;
import dev.seq2seq.engine.kernels.ParallelKernels;

/**
 * A {@link Dense} layer's logits for decoding, x . kernel + bias, with the kernel held in a
 * {@link WeightPrecision}: a snapshot, to be made again after the weights change. In float32 it is
 * the product of the layer's own {@link Dense#logits}, then the bias, over a copy of the kernel
 * laid out for the number of rows: for fewer than {@link #PACKED_MIN_ROWS} rows of a kernel of at
 * most {@link #GEMV_MAX_WEIGHTS}, over a copy that a row reads front to back on one core
 * ({@link GemvMatrix}: one sentence's logits over the seed's 93 columns in 0.9-1.2 us instead of
 * 1.4 on Zen 5), and otherwise over a copy packed in strips once ({@link PackedMatrix}), which
 * both cores read, without the copies of the kernel's strips, the last one padded, that every call
 * of the plain product makes (for the seed's head, a third of its time in a batch of 32 sentences
 * a core; for a word model's 8,000 columns, one sentence's logits in 54 us instead of 80); either
 * way the same bits. In bf16 each row of x, up to {@link #BF16_MAX_ROWS} rows, is multiplied by
 * the kernel's bf16 copy (half the bytes: for one sentence the seed's head is 95 KB a step in
 * float32; its columns padded with zero weights to a multiple of 32, 93 to 96, so that no column
 * is left to a scalar loop), then the bias is added, in the order {@link Dense#logits} uses: on
 * the vector backend the bits of the layer's logits over its kernel rounded to bf16. A kernel of
 * more than {@link #GEMV_MAX_WEIGHTS} has its bf16 copy cut into panels of columns that the cores
 * share out (a word model's 8,000 columns: one sentence's greedy decoding 1.09x as fast as in
 * float32, where a single core's bf16 product was slower than both cores' float32 one). More than
 * three rows take the float32 copies of the rounded kernel, which give those bits on every
 * backend: the bf16 product reads the kernel once a row, where a batch shares each strip of the
 * packed copy. Nothing is recorded for gradients.
 */
public final class DecodingHead {
    /** Fewer rows read the gemv copy: one sentence's step is a row times a matrix, no tiles. */
    static final int PACKED_MIN_ROWS = 8;
    /**
     * The most weights a kernel may have for the gemv copy and a bf16 copy in one piece, 1 MB of float32
     * ([256, 1,024]), about what a core's L2 holds: a larger one is read faster by both cores
     * from the packed copy (Zen 5, one row: 1,024 columns 10.2 us either way; 2,048 columns 26 us
     * on one core, 14 on two; 8,000 columns 122 against 54).
     */
    static final int GEMV_MAX_WEIGHTS = 1 << 18;
    /** The most rows the bf16 copy takes, as the steppers (three sentences greedy at a time). */
    static final int BF16_MAX_ROWS = 3;
    /** A large kernel's columns per bf16 panel (a multiple of 32: none left to a scalar loop). */
    static final int BF16_PANEL_COLUMNS = 512;

    private final Dense dense;
    /** The kernel [in, out] in strips, for {@link #PACKED_MIN_ROWS} rows or more, and every row count of a large kernel. */
    private final PackedMatrix packedKernel;
    /** Null for a large kernel; else the kernel [in, out] laid out for a few rows at a time. */
    private final GemvMatrix gemvKernel;
    /** Null in float32 and for a large kernel; else the kernel with its columns padded to {@link #padded}, as {@link Bf16#pairs}. */
    private final int[] bf16Kernel;
    /**
     * Null in float32 and for a small kernel; else the kernel's columns in panels of
     * {@link #BF16_PANEL_COLUMNS} (the last one narrower, padded), each as {@link Bf16#pairs}:
     * the cores share the panels out, so that a large kernel is read in bf16 by both.
     */
    private final int[][] bf16Panels;
    /** The kernel's columns as stored in bf16 ({@link Bf16#paddedColumns}). */
    private final int padded;

    /**
     * A head over {@code dense}'s kernel as it is now. In bf16 the kernel is rounded first (a
     * model's bf16 copy holds rounded values already: rounding them again changes nothing).
     */
    public DecodingHead(Dense dense, WeightPrecision precision) {
        this.dense = dense;
        int in = dense.inputSize();
        int out = dense.outputSize();
        this.padded = Bf16.paddedColumns(out);
        Tensor kernel = dense.kernel();
        boolean small = (long) in * out <= GEMV_MAX_WEIGHTS;
        float[] values = kernel.data();
        int offset = kernel.offset();
        if (precision == WeightPrecision.BF16) {
            values = new float[in * out];
            for (int i = 0; i < values.length; i++) {
                values[i] = Bf16.widen(Bf16.round(kernel.data()[offset + i]));
            }
            offset = 0;
        }
        this.bf16Kernel = precision == WeightPrecision.BF16 && small
                ? Bf16.pairs(values, offset, out, in, out, padded) : null;
        this.bf16Panels = precision == WeightPrecision.BF16 && !small ? panels(values, offset, in, out) : null;
        this.packedKernel = Backend.kernels().pack(values, offset, out, in, out);
        this.gemvKernel = small ? Backend.kernels().packForGemv(values, offset, out, in, out) : null;
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
        if (bf16Panels != null && rows <= BF16_MAX_ROWS) {
            bf16ByPanels(x, rows, logits);
        } else if (bf16Kernel != null && rows <= BF16_MAX_ROWS) {
            float[] row = new float[padded];
            for (int r = 0; r < rows; r++) {
                k.rowTimesBf16Matrix(x.data(), x.offset() + r * in, bf16Kernel, 0, row, 0, in, padded, false);
                System.arraycopy(row, 0, logits, r * out, out);
            }
        } else if (gemvKernel != null && rows < PACKED_MIN_ROWS) {
            // Dense#logits's order: the product (each sum from zero, p = 0, 1, ...), then the bias
            k.matmulGemv(x.data(), x.offset(), in, rows, gemvKernel, logits, 0, out, false);
        } else {
            k.matmulPacked(x.data(), x.offset(), in, packedKernel, logits, 0, out, rows, false);
        }
        k.addToRows(logits, 0, bias.data(), bias.offset(), logits, 0, rows, out);
        return result;
    }

    /** The kernel [in, out] in bf16 panels of {@link #BF16_PANEL_COLUMNS} columns. */
    private static int[][] panels(float[] values, int offset, int in, int out) {
        int[][] panels = new int[(out + BF16_PANEL_COLUMNS - 1) / BF16_PANEL_COLUMNS][];
        for (int p = 0; p < panels.length; p++) {
            int width = Math.min(BF16_PANEL_COLUMNS, out - p * BF16_PANEL_COLUMNS);
            panels[p] = Bf16.pairs(values, offset + p * BF16_PANEL_COLUMNS, out, in, width, Bf16.paddedColumns(width));
        }
        return panels;
    }

    /**
     * logits [rows, out] = x . kernel over the bf16 panels, the panels shared among the kernels'
     * threads: each column's sum is the one the whole kernel's product makes (p = 0, 1, ...).
     */
    private void bf16ByPanels(Tensor x, int rows, float[] logits) {
        int in = dense.inputSize();
        int out = dense.outputSize();
        ParallelKernels k = Backend.kernels();
        k.forEachPart(bf16Panels.length, 1, (from, to) -> {
            float[] row = new float[BF16_PANEL_COLUMNS];
            for (int p = from; p < to; p++) {
                int first = p * BF16_PANEL_COLUMNS;
                int width = Math.min(BF16_PANEL_COLUMNS, out - first);
                for (int r = 0; r < rows; r++) {
                    k.rowTimesBf16Matrix(x.data(), x.offset() + r * in, bf16Panels[p], 0, row, 0, in,
                            Bf16.paddedColumns(width), false);
                    System.arraycopy(row, 0, logits, r * out + first, width);
                }
            }
        });
    }
}
