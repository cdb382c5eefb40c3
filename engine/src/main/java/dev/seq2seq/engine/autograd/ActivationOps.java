package dev.seq2seq.engine.autograd;

import static dev.seq2seq.engine.autograd.Grads.output;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;

/**
 * Elementwise non-linearities. Each derivative is written in terms of the output y where that is
 * cheaper (it is already computed): sigmoid' = y (1 - y), tanh' = 1 - y^2, exp' = y.
 */
public final class ActivationOps {
    private ActivationOps() {
    }

    /** y = 1 / (1 + exp(-x)). Backward: dx += dy * y * (1 - y). */
    public static Tensor sigmoid(Tensor x) {
        Tensor y = output(x.shape());
        Backend.kernels().sigmoid(x.data(), x.offset(), y.data(), 0, y.size());
        if (Tape.recording(x)) {
            Tape.record("sigmoid", y, () -> {
                float[] dx = x.gradData();
                float[] dy = y.gradData();
                float[] out = y.data();
                for (int i = 0, xi = x.offset(); i < y.size(); i++, xi++) {
                    dx[xi] += dy[i] * out[i] * (1f - out[i]);
                }
            }, x);
        }
        return y;
    }

    /** y = tanh(x). Backward: dx += dy * (1 - y^2). */
    public static Tensor tanh(Tensor x) {
        Tensor y = output(x.shape());
        Backend.kernels().tanh(x.data(), x.offset(), y.data(), 0, y.size());
        if (Tape.recording(x)) {
            Tape.record("tanh", y, () -> {
                float[] dx = x.gradData();
                float[] dy = y.gradData();
                float[] out = y.data();
                for (int i = 0, xi = x.offset(); i < y.size(); i++, xi++) {
                    dx[xi] += dy[i] * (1f - out[i] * out[i]);
                }
            }, x);
        }
        return y;
    }

    /** y = exp(x). Backward: dx += dy * y. */
    public static Tensor exp(Tensor x) {
        Tensor y = output(x.shape());
        Backend.kernels().exp(x.data(), x.offset(), y.data(), 0, y.size());
        if (Tape.recording(x)) {
            Tape.record("exp", y, () ->
                    Backend.kernels().mulAdd(y.gradData(), 0, y.data(), 0, x.gradData(), x.offset(), y.size()), x);
        }
        return y;
    }

    /** y = ln(x), for x > 0. Backward: dx += dy / x. */
    public static Tensor log(Tensor x) {
        Tensor y = output(x.shape());
        float[] in = x.data();
        for (int i = 0, xi = x.offset(); i < y.size(); i++, xi++) {
            y.data()[i] = (float) Math.log(in[xi]);
        }
        if (Tape.recording(x)) {
            Tape.record("log", y, () -> {
                float[] dx = x.gradData();
                float[] dy = y.gradData();
                for (int i = 0, xi = x.offset(); i < y.size(); i++, xi++) {
                    dx[xi] += dy[i] / in[xi];
                }
            }, x);
        }
        return y;
    }
}
