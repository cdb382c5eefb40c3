package dev.seq2seq.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.TestData;
import dev.seq2seq.engine.autograd.ActivationOps;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.SoftmaxOps;
import dev.seq2seq.engine.autograd.Tape;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Same inputs, same thread count: bit-identical outputs, run after run. The split of work depends
 * only on sizes, so this holds across thread counts too, which is checked as well.
 */
class DeterminismTest {

    /** Everything a training step exercises, on sizes big enough to be split across threads. */
    private static float[] run(Kernels kernels) {
        int m = 64;
        int k = 320;
        int n = 1024;
        float[] a = TestData.mixed(1, m * k);
        float[] b = TestData.mixed(2, k * n);
        float[] c = new float[m * n];
        kernels.matmul(a, 0, b, 0, c, 0, m, k, n, false);
        float[] weightGradient = new float[k * n];
        kernels.matmulTransA(a, 0, c, 0, weightGradient, 0, k, m, n, true);
        float[] inputGradient = new float[m * k];
        kernels.matmulTransB(c, 0, b, 0, inputGradient, 0, m, n, k, true);
        kernels.tanh(c, 0, c, 0, c.length);
        kernels.axpy(0.5f, weightGradient, 0, b, 0, b.length);
        float[] logits = TestData.uniform(3, 4096 * 93, 5f);
        kernels.logSoftmaxRows(logits, 0, logits, 0, 4096, 93);
        // a bias over an odd number of columns: added to every row, then its gradient summed in two
        // calls (the second accumulating), split by columns where the threads allow
        int rows = 37;
        int cols = 4099; // two slices of at least SUM_ROWS_SLICE_MIN
        float[] head = TestData.mixed(4, rows * cols);
        float[] bias = TestData.mixed(5, cols);
        kernels.addToRows(head, 0, bias, 0, head, 0, rows, cols);
        float[] biasGradient = TestData.mixed(6, cols);
        kernels.sumRows(head, 0, biasGradient, 0, rows, cols, false);
        kernels.sumRows(head, cols, biasGradient, 0, rows - 1, cols, true);
        float[] all = new float[c.length + weightGradient.length + inputGradient.length + b.length + logits.length
                + head.length + biasGradient.length];
        int at = 0;
        for (float[] part : new float[][] {c, weightGradient, inputGradient, b, logits, head, biasGradient}) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    @Test
    void kernelsAreBitIdenticalRunToRunAndAcrossThreadCounts() {
        try (WorkerPool one = new WorkerPool(1); WorkerPool two = new WorkerPool(2)) {
            Kernels single = new ParallelKernels(Backend.chooseSingleThreaded(), one);
            Kernels dual = new ParallelKernels(Backend.chooseSingleThreaded(), two);
            float[] reference = run(single);
            assertArrayEquals(reference, run(single), "1 thread, second run");
            assertArrayEquals(reference, run(dual), "2 threads, first run");
            assertArrayEquals(reference, run(dual), "2 threads, second run");
        }
    }

    @Test
    void limitedToOneThreadTheKernelsRunOnTheCallerWithTheSameBitsUntilTheLimitIsClosed() {
        try (WorkerPool two = new WorkerPool(2)) {
            ParallelKernels kernels = new ParallelKernels(Backend.chooseSingleThreaded(), two);
            float[] reference = run(kernels);
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            try (ParallelKernels.ThreadLimit ignored = kernels.limitThreads(1)) {
                kernels.forEachPart(64, 1, (from, to) -> threads.add(Thread.currentThread()));
                assertEquals(Set.of(Thread.currentThread()), threads, "one part, on the calling thread");
                assertArrayEquals(reference, run(kernels), "the same bits on one thread");
                try (ParallelKernels.ThreadLimit more = kernels.limitThreads(8)) {
                    threads.clear();
                    kernels.forEachPart(64, 1, (from, to) -> threads.add(Thread.currentThread()));
                    assertEquals(2, threads.size(), "a limit above the pool's threads is the pool's");
                }
                threads.clear();
                kernels.forEachPart(64, 1, (from, to) -> threads.add(Thread.currentThread()));
                assertEquals(1, threads.size(), "the inner limit closed: the outer one again");
            }
            threads.clear();
            kernels.forEachPart(64, 1, (from, to) -> threads.add(Thread.currentThread()));
            assertEquals(2, threads.size(), "closed: both threads again");
            assertEquals(2, kernels.threads(), "the pool's threads, whatever the limit");
            assertThrows(IllegalArgumentException.class, () -> kernels.limitThreads(0));
        }
    }

    @Test
    void aTrainingStepThroughTheTapeIsBitIdenticalRunToRun() {
        float[] first = gradientsOfOneStep();
        float[] second = gradientsOfOneStep();
        assertArrayEquals(first, second);
    }

    private static float[] gradientsOfOneStep() {
        Tensor x = Tensor.uniform(10, -1, 1, 64, 256);
        Tensor w = Tensor.uniform(11, -0.1f, 0.1f, 256, 1024).requireGrad();
        Tape tape = new Tape();
        try (Tape.Scope ignored = tape.activate()) {
            Tensor probabilities = SoftmaxOps.logSoftmax(ActivationOps.tanh(MatrixOps.matmul(x, w)));
            tape.backward(MatrixOps.mean(probabilities));
        }
        return w.grad().toArray();
    }
}
