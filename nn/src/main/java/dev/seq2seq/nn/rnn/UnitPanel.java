package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Bf16;
import dev.seq2seq.engine.kernels.GemvMatrix;
import dev.seq2seq.engine.kernels.ParallelKernels;
import dev.seq2seq.nn.WeightPrecision;

/**
 * One range of units' columns of the recurrent kernel U [H, G*H], copied gate by gate into one
 * contiguous panel [H, G*width] ({@code panel[p, g*width + j] = U[p, g*H + first + j]}), in float32
 * or in bf16, and the product a {@link UnitSplitStepper} step needs from it: z (+)= h . panel.
 */
abstract sealed class UnitPanel {
    /** The panel's columns: G * width. */
    final int columns;

    private UnitPanel(int columns) {
        this.columns = columns;
    }

    /** U's columns for units [first, first + width) of each of its {@code gateCount} gates. */
    static UnitPanel of(Tensor u, int gateCount, int first, int width, WeightPrecision precision) {
        int units = u.dim(0);
        float[] panel = new float[units * gateCount * width];
        for (int p = 0; p < units; p++) {
            for (int g = 0; g < gateCount; g++) {
                System.arraycopy(u.data(), u.offset() + p * gateCount * units + g * units + first, panel,
                        (p * gateCount + g) * width, width);
            }
        }
        int columns = gateCount * width;
        return precision == WeightPrecision.BF16 ? new Bf16Panel(panel, units, columns)
                : new Float32Panel(Backend.kernels().packForGemv(panel, 0, columns, units, columns));
    }

    /** z[rows, G*width] (+)= h[rows, H] . panel[H, G*width], h starting at {@code hOff}. */
    abstract void multiplyAdd(ParallelKernels k, float[] h, int hOff, int rows, int units, float[] z);

    /**
     * Whether a step of more than {@link TokenStepper#MAX_ROWS} rows should still use this panel:
     * float32 panels hand such steps to the layer's own step (the same numbers, faster), bf16
     * panels keep them (the layer's weights are not rounded).
     */
    abstract boolean servesAnyBatch();

    /**
     * Laid out for products of a few rows ({@link GemvMatrix}: a pass over z reads the panel front
     * to back in one stream), the one to three rows reading it two at a time: the sums of the
     * layer's own step, whose product of so few rows streams U row by row, to the bit.
     */
    private static final class Float32Panel extends UnitPanel {
        private final GemvMatrix panel;

        Float32Panel(GemvMatrix panel) {
            super(panel.columns());
            this.panel = panel;
        }

        @Override
        void multiplyAdd(ParallelKernels k, float[] h, int hOff, int rows, int units, float[] z) {
            k.matmulGemv(h, hOff, units, rows, panel, z, 0, columns, true);
        }

        @Override
        boolean servesAnyBatch() {
            return false;
        }
    }

    /**
     * Half the bytes to read at every step, in {@link Bf16#pairs}' layout, the columns padded with
     * zero weights ({@link Bf16#paddedColumns}) so that the vector kernel leaves none to a scalar loop (the
     * panels of the seed's LSTM and GRU, 512 and 384 columns, need none). Row by row, each row
     * reading the panel once: each element is summed in the same order (p = 0, 1, ..., one FMA
     * each) as by the float32 product over the widened weights, which streams U row by row for
     * one to three rows too.
     */
    private static final class Bf16Panel extends UnitPanel {
        private final int[] pairs;
        private final int padded;

        Bf16Panel(float[] panel, int units, int columns) {
            super(columns);
            this.padded = Bf16.paddedColumns(columns);
            this.pairs = Bf16.pairs(panel, 0, columns, units, columns, padded);
        }

        @Override
        void multiplyAdd(ParallelKernels k, float[] h, int hOff, int rows, int units, float[] z) {
            if (padded == columns) {
                for (int r = 0; r < rows; r++) {
                    k.rowTimesBf16Matrix(h, hOff + r * units, pairs, 0, z, r * columns, units, columns, true);
                }
                return;
            }
            // z's rows are `columns` apart: each goes through a padded row and back
            float[] row = new float[padded];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(z, r * columns, row, 0, columns);
                k.rowTimesBf16Matrix(h, hOff + r * units, pairs, 0, row, 0, units, padded, true);
                System.arraycopy(row, 0, z, r * columns, columns);
            }
        }

        @Override
        boolean servesAnyBatch() {
            return true;
        }
    }
}
