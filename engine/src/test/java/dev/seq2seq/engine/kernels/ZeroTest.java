package dev.seq2seq.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link ParallelKernels#zero} clears exactly the range it is given, whether the range is small
 * enough to run on the caller or shared out among threads (at an odd offset and length, so that
 * the parts' boundaries fall between the range's ends).
 */
class ZeroTest {
    private static void zeroesOnlyTheRange(ParallelKernels kernels, int offset, int n) {
        float[] x = new float[offset + n + 11];
        java.util.Arrays.fill(x, 2.5f);
        kernels.zero(x, offset, n);
        for (int i = 0; i < x.length; i++) {
            boolean inside = i >= offset && i < offset + n;
            assertEquals(inside ? 0f : 2.5f, x[i], "element " + i + " of a zero(" + offset + ", " + n + ")");
        }
    }

    @Test
    void zeroesExactlyItsRangeAloneAndShared() {
        try (WorkerPool two = new WorkerPool(2)) {
            ParallelKernels kernels = new ParallelKernels(Backend.chooseSingleThreaded(), two);
            zeroesOnlyTheRange(kernels, 3, 37);
            zeroesOnlyTheRange(kernels, 5, 3 * ParallelKernels.ELEMENTWISE_MIN + 13);
            try (ParallelKernels.ThreadLimit ignored = kernels.limitThreads(1)) {
                zeroesOnlyTheRange(kernels, 7, 2 * ParallelKernels.ELEMENTWISE_MIN + 1);
            }
        }
    }
}
