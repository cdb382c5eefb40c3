package dev.seq2seq.engine.autograd;

import static dev.seq2seq.engine.autograd.Grads.output;

import dev.seq2seq.engine.Shapes;
import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Kernels;

/** Softmax and log-softmax over the last axis of a matrix [rows, classes]. */
public final class SoftmaxOps {
    private SoftmaxOps() {
    }

    /**
     * y_j = exp(x_j) / sum_i exp(x_i), on each row.
     * Backward: dx_j += y_j * (dy_j - sum_i dy_i y_i) (the Jacobian diag(y) - y y^T times dy).
     */
    public static Tensor softmax(Tensor x) {
        Shapes.checkMatrix("softmax", x);
        int rows = x.dim(0);
        int cols = x.dim(1);
        Tensor y = output(rows, cols);
        Backend.kernels().softmaxRows(x.data(), x.offset(), y.data(), 0, rows, cols);
        if (Tape.recording(x)) {
            Tape.record("softmax", y, () -> {
                float[] dx = x.gradData();
                float[] dy = y.gradData();
                float[] out = y.data();
                for (int r = 0; r < rows; r++) {
                    int row = r * cols;
                    float dot = 0f;
                    for (int j = 0; j < cols; j++) {
                        dot += dy[row + j] * out[row + j];
                    }
                    for (int j = 0; j < cols; j++) {
                        dx[x.offset() + row + j] += out[row + j] * (dy[row + j] - dot);
                    }
                }
            }, x);
        }
        return y;
    }

    /**
     * y_j = x_j - log sum_i exp(x_i), on each row.
     * Backward: dx_j += dy_j - softmax_j * sum_i dy_i, where softmax_j = exp(y_j).
     */
    public static Tensor logSoftmax(Tensor x) {
        Shapes.checkMatrix("logSoftmax", x);
        int rows = x.dim(0);
        int cols = x.dim(1);
        Tensor y = output(rows, cols);
        Backend.kernels().logSoftmaxRows(x.data(), x.offset(), y.data(), 0, rows, cols);
        if (Tape.recording(x)) {
            Tape.record("logSoftmax", y, () -> {
                Kernels k = Backend.kernels();
                float[] dx = x.gradData();
                float[] dy = y.gradData();
                float[] softmax = new float[cols];
                for (int r = 0; r < rows; r++) {
                    int row = r * cols;
                    float total = k.sum(dy, row, cols);
                    k.exp(y.data(), row, softmax, 0, cols);
                    k.axpy(1f, dy, row, dx, x.offset() + row, cols);
                    k.axpy(-total, softmax, 0, dx, x.offset() + row, cols);
                }
            }, x);
        }
        return y;
    }
}
