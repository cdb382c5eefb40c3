package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.ParallelKernels;
import java.util.Arrays;

/**
 * A Keras LSTM layer: kernel [in, 4H] (glorot uniform), recurrent kernel [H, 4H] (orthogonal),
 * bias [4H] (zeros, but 1 for the forget gate: Keras's unit_forget_bias, which lets gradients flow
 * through c from the start), gate order i, f, c, o, h = o * tanh(c). The math is in
 * {@link LSTMCell}, the recurrence and its backward in {@link LSTMRecurrence}, and a version built
 * from engine ops in {@link LSTMReferenceCell}; the input side is in {@link GatedRecurrentLayer}.
 *
 * <p>Two paths, same numbers: {@link #forward} runs a whole (padded) sequence, for training;
 * {@link #step} runs one step from a carried state, for decoding. Inputs are either dense
 * [T, B, in] or token ids, for which "one-hot times kernel" is a row lookup of the kernel.
 */
public final class LSTM extends GatedRecurrentLayer<LSTMState> {
    private final Tensor bias;

    public LSTM(String name, int inputSize, int units, long seed) {
        super(name, inputSize, units, 4, seed);
        Tensor b = Tensor.zeros(4 * units);
        b.rows(units, 2 * units).fill(1f);
        this.bias = b.requireGrad().named(name + "/bias");
    }

    @Override
    public LSTMState zeroState(int batch) {
        return LSTMState.zeros(batch, units());
    }

    @Override
    public Tensor bias() {
        return bias;
    }

    @Override
    Tensor inputBias() {
        return bias;
    }

    @Override
    SequenceResult<LSTMState> recur(Projection projection, int steps, int batch, int[] lengths, LSTMState initial) {
        LSTMState start = initial != null ? initial : zeroState(batch);
        return LSTMRecurrence.run(projection, steps, batch, 4 * units(), recurrentKernel(), start.h(), start.c(),
                lengths);
    }

    @Override
    LSTMState inferenceStep(LSTMState state, int[] tokens, ForwardProduct product) {
        int batch = tokens.length;
        int units = units();
        ParallelKernels k = Backend.kernels();
        Tensor hPrev = state.h();
        Tensor cPrev = state.c();
        // the new state's own arrays, filled in place (Tensor.of would copy them)
        Tensor cNext = Tensor.zeros(batch, units);
        Tensor hNext = Tensor.zeros(batch, units);
        float[] c = cNext.data();
        float[] h = hNext.data();
        // As in the sequence op, one group of rows per core (product and cell together); a batch
        // too small to cut runs as one part, whose product is then split by columns instead. Each
        // group makes its own rows' z and tanh(c), so the core that reads them wrote them (made by
        // the caller for all rows, half of them were the other core's cache lines to fetch).
        RowGroups.forEach(k, batch, (from, to) -> {
            int rows = to - from;
            // z[rows, 4H] = (kernel[token] + b) + h U, summed in the order of the sequence op
            float[] z = projectTokens(Arrays.copyOfRange(tokens, from, to), bias, 0, units,
                    StepScratch.first(rows * 4 * units));
            float[] tanhC = StepScratch.second(rows * units);
            product.accumulate(k, hPrev.data(), hPrev.offset() + from * units, z, 0, rows);
            LSTMCell.forward(k, rows, units, z, 0, cPrev.data(), cPrev.offset() + from * units,
                    c, from * units, tanhC, 0, h, from * units);
        });
        return new LSTMState(hNext, cNext);
    }

    @Override
    void stepUnits(LSTMState state, int[] tokens, int first, int width, UnitPanel panel, float[][] next) {
        float[] hNext = next[0];
        float[] cNext = next[1];
        int units = units();
        int partGates = 4 * width;
        ParallelKernels k = Backend.kernels();
        Tensor hPrev = state.h();
        Tensor cPrev = state.c();
        // z[B, 4*width] = (kernel[token] + b) + h U, for this range's units of each gate
        float[] z = projectTokens(tokens, bias, first, width, StepScratch.first(tokens.length * partGates));
        panel.multiplyAdd(k, hPrev.data(), hPrev.offset(), tokens.length, units, z);
        float[] tanhC = StepScratch.second(width);
        for (int b = 0; b < tokens.length; b++) {
            int at = b * units + first;
            LSTMCell.forward(k, 1, width, z, b * partGates, cPrev.data(), cPrev.offset() + at, cNext, at, tanhC, 0,
                    hNext, at);
        }
    }
}
