package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.ParallelKernels;
import java.util.Arrays;

/**
 * A Keras GRU layer with the default reset_after=True: kernel [in, 3H] (glorot uniform),
 * recurrent kernel [H, 3H] (orthogonal), bias [2, 3H] (zeros; row 0 is added to x W, row 1 to
 * h U), gate order z, r, h. Math in {@link GRUCell}, recurrence in {@link GRURecurrence}, the
 * op-by-op version in {@link GRUReferenceCell}; same two paths as {@link LSTM}.
 */
public final class GRU extends GatedRecurrentLayer<GRUState> {
    private final Tensor bias;

    public GRU(String name, int inputSize, int units, long seed) {
        super(name, inputSize, units, 3, seed);
        this.bias = Tensor.zeros(2, 3 * units).requireGrad().named(name + "/bias");
    }

    @Override
    public GRUState zeroState(int batch) {
        return GRUState.zeros(batch, units());
    }

    @Override
    public Tensor bias() {
        return bias;
    }

    @Override
    Tensor inputBias() {
        return bias.row(0);
    }

    @Override
    SequenceResult<GRUState> recur(Projection projection, int steps, int batch, int[] lengths, GRUState initial) {
        GRUState start = initial != null ? initial : zeroState(batch);
        return GRURecurrence.run(projection, steps, batch, 3 * units(), recurrentKernel(), bias.row(1), start.h(),
                lengths);
    }

    @Override
    GRUState inferenceStep(GRUState state, int[] tokens, ForwardProduct product) {
        int batch = tokens.length;
        int units = units();
        int gates = 3 * units;
        ParallelKernels k = Backend.kernels();
        Tensor recurrentBias = bias.row(1);
        Tensor hPrev = state.h();
        Tensor hNext = Tensor.zeros(batch, units); // filled in place (Tensor.of would copy it)
        float[] h = hNext.data();
        // One group of rows per core, as in the sequence op, each making its own rows' arrays (see
        // LSTM#inferenceStep).
        RowGroups.forEach(k, batch, (from, to) -> {
            int rows = to - from;
            // x W + b_in and h U + b_rec, [rows, 3H] each
            float[] act = projectTokens(Arrays.copyOfRange(tokens, from, to), bias.row(0), 0, units,
                    StepScratch.first(rows * gates));
            float[] hz = StepScratch.second(rows * gates);
            for (int b = 0; b < rows; b++) {
                System.arraycopy(recurrentBias.data(), recurrentBias.offset(), hz, b * gates, gates);
            }
            product.accumulate(k, hPrev.data(), hPrev.offset() + from * units, hz, 0, rows);
            GRUCell.forward(k, rows, units, act, 0, hz, 0, hPrev.data(), hPrev.offset() + from * units, h,
                    from * units);
        });
        return new GRUState(hNext);
    }

    @Override
    void stepUnits(GRUState state, int[] tokens, int first, int width, UnitPanel panel, float[][] next) {
        float[] hNext = next[0];
        int units = units();
        int partGates = 3 * width;
        ParallelKernels k = Backend.kernels();
        Tensor hPrev = state.h();
        Tensor recurrentBias = bias.row(1);
        // x W + b_in and h U + b_rec, this range's units
        float[] act = projectTokens(tokens, bias.row(0), first, width, StepScratch.first(tokens.length * partGates));
        float[] hz = StepScratch.second(tokens.length * partGates);
        for (int b = 0; b < tokens.length; b++) {
            for (int g = 0; g < 3; g++) {
                System.arraycopy(recurrentBias.data(), recurrentBias.offset() + g * units + first, hz,
                        b * partGates + g * width, width);
            }
        }
        panel.multiplyAdd(k, hPrev.data(), hPrev.offset(), tokens.length, units, hz);
        for (int b = 0; b < tokens.length; b++) {
            int at = b * units + first;
            GRUCell.forward(k, 1, width, act, b * partGates, hz, b * partGates, hPrev.data(), hPrev.offset() + at,
                    hNext, at);
        }
    }
}
