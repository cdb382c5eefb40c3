package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Kernels;

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
    public Tensor bias() {
        return bias;
    }

    @Override
    Tensor inputBias() {
        return bias;
    }

    @Override
    SequenceResult<LSTMState> recur(Tensor projection, int[] lengths, LSTMState initial) {
        LSTMState start = initial != null ? initial : LSTMState.zeros(projection.dim(1), units());
        return LSTMRecurrence.run(projection, recurrentKernel(), start.h(), start.c(), lengths);
    }

    @Override
    LSTMState inferenceStep(LSTMState state, int[] tokens) {
        int batch = tokens.length;
        int units = units();
        Kernels k = Backend.kernels();
        Tensor u = recurrentKernel();
        // z[B, 4H] = (kernel[token] + b) + h U, summed in the order of the sequence op
        float[] z = projectTokens(tokens, bias);
        k.matmul(state.h().data(), state.h().offset(), u.data(), u.offset(), z, 0, batch, units, 4 * units, true);
        float[] c = new float[batch * units];
        float[] tanhC = new float[batch * units];
        float[] h = new float[batch * units];
        LSTMCell.forward(k, batch, units, z, 0, state.c().data(), state.c().offset(), c, 0, tanhC, 0, h, 0);
        return new LSTMState(Tensor.of(h, batch, units), Tensor.of(c, batch, units));
    }

}
