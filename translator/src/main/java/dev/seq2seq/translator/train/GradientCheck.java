package dev.seq2seq.translator.train;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.ParallelKernels;

/**
 * The test a gradient passes before the optimiser may use it: no NaN, no infinity, and no values
 * so large that their sum overflows a float. Summing is the cheap way to ask: a NaN or an infinity
 * anywhere makes the sum non-finite, and only then is the gradient searched element by element to
 * name the culprit. The sum runs over fixed blocks, shared out among the kernels' threads (a word
 * model's 7.7 million gradients took 1 ms on one core, 0.4 ms on two), each block's float sum
 * checked, then their total in double: the blocks do not depend on the thread count, so neither
 * does the answer.
 */
final class GradientCheck {
    /** Values in a block (the last may be shorter). */
    static final int BLOCK = 1 << 16;

    private GradientCheck() {
    }

    /** Whether {@code parameter}'s gradient is fit for an update (see the class comment). */
    static boolean finite(Tensor parameter) {
        float[] gradient = parameter.gradData();
        int offset = parameter.offset();
        int size = parameter.size();
        int blocks = (size + BLOCK - 1) / BLOCK;
        float[] sums = new float[blocks];
        ParallelKernels k = Backend.kernels();
        k.forEachPart(blocks, 1, (from, to) -> {
            for (int b = from; b < to; b++) {
                int start = b * BLOCK;
                sums[b] = k.sum(gradient, offset + start, Math.min(BLOCK, size - start));
            }
        });
        double total = 0;
        for (float sum : sums) {
            if (!Float.isFinite(sum)) {
                return false;
            }
            total += sum;
        }
        return Math.abs(total) <= Float.MAX_VALUE;
    }
}
