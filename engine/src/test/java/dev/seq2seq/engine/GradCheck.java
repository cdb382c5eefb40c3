package dev.seq2seq.engine;

import static org.junit.jupiter.api.Assertions.fail;

import dev.seq2seq.engine.autograd.Tape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Central-difference gradient check (the recipe of deeplearning4j's GradientCheckUtil).
 *
 * <p>The output is reduced to a scalar loss L = sum(out * R) with a fixed random R, so every
 * element of the Jacobian takes part. The analytic gradient comes from the tape; the numeric one
 * from (L(x + h) - L(x - h)) / 2h per input element, with L summed in double. An element fails when
 * its relative error |a - n| / (|a| + |n|) exceeds {@link #MAX_RELATIVE_ERROR} and its absolute
 * error exceeds {@link #MIN_ABSOLUTE_ERROR}; 0/0 counts as 0.
 *
 * <p>The tolerances are for float32. The truncation error of central differences is about
 * h^2 |f'''| / 6, under 1e-4 for h = 1e-2 on these smooth functions; the rounding error is about
 * 6e-8 sqrt(N) |y| / h for N outputs of size |y|, which for a 2 x 93 log-softmax (|y| near 4.5) is
 * about 4e-4. Hence the absolute floor: below it a difference is float32 noise, not a wrong
 * gradient (a wrong gradient is off by the size of the gradient itself).
 */
public final class GradCheck {
    public static final float STEP = 1e-2f;
    public static final double MAX_RELATIVE_ERROR = 1e-2;
    public static final double MIN_ABSOLUTE_ERROR = 6e-4;

    private GradCheck() {
    }

    /**
     * Checks d(out)/d(input) for every input (all must require a gradient); {@code forward}
     * recomputes the output from the inputs' current values.
     */
    public static void check(String what, Supplier<Tensor> forward, Tensor... inputs) {
        for (Tensor input : inputs) {
            if (!input.requiresGrad()) {
                throw new IllegalArgumentException(what + ": " + input.describe() + " does not require a gradient");
            }
            input.zeroGrad();
        }
        Tape tape = new Tape();
        Tensor projection;
        try (Tape.Scope ignored = tape.activate()) {
            Tensor out = forward.get();
            projection = Tensor.normal(12345, 0f, 1f, out.shape());
            Tensor loss = dev.seq2seq.engine.autograd.MatrixOps.sum(
                    dev.seq2seq.engine.autograd.MatrixOps.mul(out, projection));
            tape.backward(loss);
        }
        List<String> failures = new ArrayList<>();
        for (int n = 0; n < inputs.length; n++) {
            Tensor input = inputs[n];
            float[] analytic = input.grad().toArray();
            for (int i = 0; i < input.size(); i++) {
                float original = input.at(i);
                input.setAt(i, original + STEP);
                double plus = projectedLoss(forward, projection);
                input.setAt(i, original - STEP);
                double minus = projectedLoss(forward, projection);
                input.setAt(i, original);
                double numeric = (plus - minus) / (2.0 * STEP);
                double absolute = Math.abs(analytic[i] - numeric);
                double scale = Math.abs(analytic[i]) + Math.abs(numeric);
                double relative = scale == 0 ? 0 : absolute / scale;
                if (relative > MAX_RELATIVE_ERROR && absolute > MIN_ABSOLUTE_ERROR) {
                    failures.add(String.format("%s: input %d (%s) element %d: analytic %.6g, numeric %.6g,"
                            + " relative error %.3g", what, n, input.describe(), i, analytic[i], numeric, relative));
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " gradient element(s) disagree with central differences; first ones:\n  "
                    + String.join("\n  ", failures.subList(0, Math.min(8, failures.size())))
                    + "\n(a backward that forgets to accumulate, a transposed product or a wrong offset are the usual causes)");
        }
    }

    private static double projectedLoss(Supplier<Tensor> forward, Tensor projection) {
        try (Tape.Scope ignored = Tape.pause()) {
            Tensor out = forward.get();
            double loss = 0;
            for (int i = 0; i < out.size(); i++) {
                loss += (double) out.at(i) * projection.at(i);
            }
            return loss;
        }
    }
}
