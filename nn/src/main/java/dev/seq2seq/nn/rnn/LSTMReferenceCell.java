package dev.seq2seq.nn.rnn;

import static dev.seq2seq.engine.autograd.ActivationOps.sigmoid;
import static dev.seq2seq.engine.autograd.ActivationOps.tanh;
import static dev.seq2seq.engine.autograd.MatrixOps.add;
import static dev.seq2seq.engine.autograd.MatrixOps.addRowVector;
import static dev.seq2seq.engine.autograd.MatrixOps.matmul;
import static dev.seq2seq.engine.autograd.MatrixOps.mul;
import static dev.seq2seq.engine.autograd.ShapeOps.sliceColumns;

import dev.seq2seq.engine.Tensor;

/**
 * The LSTM step written with engine ops only, each recorded on the tape, so that autograd derives
 * the backward. It is the readable statement of what {@link LSTMCell} and {@link LSTMRecurrence}
 * compute by hand, and the tests hold the two to the same values and gradients. (No padding here:
 * the fused path handles masks.)
 */
public final class LSTMReferenceCell {
    private LSTMReferenceCell() {
    }

    /** x [B, in], state [B, H] each -> the next state. */
    public static LSTMState step(Tensor x, LSTMState state, Tensor kernel, Tensor recurrentKernel, Tensor bias) {
        int units = recurrentKernel.dim(0);
        Tensor z = addRowVector(add(matmul(x, kernel), matmul(state.h(), recurrentKernel)), bias);
        Tensor i = sigmoid(sliceColumns(z, 0, units));
        Tensor f = sigmoid(sliceColumns(z, units, 2 * units));
        Tensor g = tanh(sliceColumns(z, 2 * units, 3 * units));
        Tensor o = sigmoid(sliceColumns(z, 3 * units, 4 * units));
        Tensor c = add(mul(f, state.c()), mul(i, g));
        Tensor h = mul(o, tanh(c));
        return new LSTMState(h, c);
    }
}
