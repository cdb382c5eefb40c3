package dev.seq2seq.translator.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.ParallelKernels;
import org.junit.jupiter.api.Test;

/**
 * A gradient with a NaN or an infinity anywhere (the first value, a block's last, the short last
 * block's last), or with finite values whose sum overflows a float, is refused; one of finite
 * values is passed, whatever lies outside the parameter's view; and the answer is the same on one
 * thread as on all. The parameter is a view at an offset, three blocks and a bit long.
 */
class GradientCheckTest {
    private static final int SIZE = 3 * GradientCheck.BLOCK + 77;
    private static final int OFFSET = 5;

    /** A view of SIZE gradients at OFFSET, finite but for {@code value} at {@code index} (none when negative). */
    private static Tensor parameterWith(int index, float value) {
        Tensor owner = Tensor.zeros(OFFSET + SIZE + 3, 1).requireGrad();
        float[] gradient = owner.gradData();
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] = (i % 7 - 3) * 0.25f;
        }
        gradient[OFFSET - 1] = Float.NaN; // outside the view: never read
        gradient[OFFSET + SIZE] = Float.POSITIVE_INFINITY;
        if (index >= 0) {
            gradient[OFFSET + index] = value;
        }
        return owner.rows(OFFSET, OFFSET + SIZE);
    }

    private static boolean onEveryThreadCount(Tensor parameter) {
        boolean all = GradientCheck.finite(parameter);
        try (ParallelKernels.ThreadLimit ignored = Backend.kernels().limitThreads(1)) {
            assertEquals(all, GradientCheck.finite(parameter), "one thread and all threads disagree");
        }
        return all;
    }

    @Test
    void passesFiniteGradients() {
        assertTrue(onEveryThreadCount(parameterWith(-1, 0f)));
        assertTrue(onEveryThreadCount(parameterWith(SIZE - 1, 1e30f)));
    }

    @Test
    void refusesANonFiniteValueWhereverItIs() {
        for (int index : new int[] {0, GradientCheck.BLOCK - 1, 2 * GradientCheck.BLOCK, SIZE - 1}) {
            for (float value : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                assertFalse(onEveryThreadCount(parameterWith(index, value)), value + " at " + index);
            }
        }
    }

    @Test
    void refusesFiniteValuesWhoseSumOverflows() {
        // two values of 3e38, each in a block of its own: every block's sum is finite, their total is not
        Tensor parameter = parameterWith(1, 3e38f);
        parameter.gradData()[OFFSET + GradientCheck.BLOCK + 1] = 3e38f;
        assertFalse(onEveryThreadCount(parameter));
        // and within one block
        Tensor inOneBlock = parameterWith(SIZE - 2, -3e38f);
        inOneBlock.gradData()[OFFSET + SIZE - 1] = -3e38f;
        assertFalse(onEveryThreadCount(inOneBlock));
    }
}
