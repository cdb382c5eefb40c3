package dev.seq2seq.engine.autograd;

import dev.seq2seq.engine.Tensor;
import java.util.Arrays;

/** Small helpers that backward functions share. */
final class Grads {
    private Grads() {
    }

    /** Whether backward should accumulate into this input's gradient. */
    static boolean wanted(Tensor input) {
        return input.requiresGrad();
    }

    /**
     * Asserts that a gradient about to be accumulated into {@code input} has the input's shape:
     * the check that catches a backward written with the wrong dimensions.
     */
    static void checkShape(String op, Tensor input, int... gradientShape) {
        if (!Arrays.equals(input.shape(), gradientShape)) {
            throw new IllegalStateException("backward of " + op + ": gradient shape " + Arrays.toString(gradientShape)
                    + " does not match " + input.describe());
        }
    }

    /** An op's output: a new tensor that owns its storage. */
    static Tensor output(int... shape) {
        return Tensor.zeros(shape);
    }
}
