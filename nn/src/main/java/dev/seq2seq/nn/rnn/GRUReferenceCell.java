package dev.seq2seq.nn.rnn;

import static dev.seq2seq.engine.autograd.ActivationOps.sigmoid;
import static dev.seq2seq.engine.autograd.ActivationOps.tanh;
import static dev.seq2seq.engine.autograd.MatrixOps.add;
import static dev.seq2seq.engine.autograd.MatrixOps.addRowVector;
import static dev.seq2seq.engine.autograd.MatrixOps.matmul;
import static dev.seq2seq.engine.autograd.MatrixOps.mul;
import static dev.seq2seq.engine.autograd.MatrixOps.sub;
import static dev.seq2seq.engine.autograd.ShapeOps.sliceColumns;

import dev.seq2seq.engine.Tensor;

/** The GRU step (reset_after=True) written with engine ops only: the readable twin of {@link GRUCell}. */
public final class GRUReferenceCell {
    private GRUReferenceCell() {
    }

    /** x [B, in], state [B, H]; bias [2, 3H] -> the next state. */
    public static GRUState step(Tensor x, GRUState state, Tensor kernel, Tensor recurrentKernel, Tensor bias) {
        int units = recurrentKernel.dim(0);
        Tensor xz = addRowVector(matmul(x, kernel), bias.row(0));
        Tensor hz = addRowVector(matmul(state.h(), recurrentKernel), bias.row(1));
        Tensor z = sigmoid(add(sliceColumns(xz, 0, units), sliceColumns(hz, 0, units)));
        Tensor r = sigmoid(add(sliceColumns(xz, units, 2 * units), sliceColumns(hz, units, 2 * units)));
        Tensor n = tanh(add(sliceColumns(xz, 2 * units, 3 * units), mul(r, sliceColumns(hz, 2 * units, 3 * units))));
        // h = z * h_prev + (1 - z) * n  =  n + z * (h_prev - n)
        Tensor h = add(n, mul(z, sub(state.h(), n)));
        return new GRUState(h);
    }
}
