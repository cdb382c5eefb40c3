package dev.seq2seq.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ParallelKernels#forEachStep}: every item goes through every step once and in order,
 * whichever thread runs it, and a thread done early takes over half of a slower part's items.
 */
@Timeout(60)
class StepSharingTest {
    private static final int ITEMS = 64;
    private static final int STEPS = 40;

    /** Each item's state through the steps, one value per item: x <- x * 31 + step + item. */
    private static long[] expectedStates() {
        long[] states = new long[ITEMS];
        for (int step = 0; step < STEPS; step++) {
            for (int item = 0; item < ITEMS; item++) {
                states[item] = states[item] * 31 + step + item;
            }
        }
        return states;
    }

    @Test
    void aSlowPartHandsHalfOfItsItemsToTheIdleThread() {
        try (WorkerPool pool = new WorkerPool(2)) {
            ParallelKernels kernels = new ParallelKernels(Backend.chooseSingleThreaded(), pool);
            long[] states = new long[ITEMS];
            int[] stepsDone = new int[ITEMS];
            String[] lastThread = new String[ITEMS];
            Thread caller = Thread.currentThread();
            kernels.forEachStep(ITEMS, 16, STEPS, (from, to, step) -> {
                if (Thread.currentThread() == caller) {
                    LockSupport.parkNanos(1_000_000); // the caller's part is slow: the worker ends first
                }
                for (int item = from; item < to; item++) {
                    assertEquals(step, stepsDone[item], "item " + item + " at step " + step);
                    states[item] = states[item] * 31 + step + item;
                    stepsDone[item]++;
                    lastThread[item] = Thread.currentThread().getName();
                }
            });
            assertArrayEquals(expectedStates(), states);
            for (int item = 0; item < ITEMS; item++) {
                assertEquals(STEPS, stepsDone[item], "steps of item " + item);
            }
            // The caller's part was [0, 32): the worker took over [16, 32) and finished them.
            assertEquals(caller.getName(), lastThread[0]);
            assertTrue(lastThread[16].startsWith("seq2seq-worker"), "item 16 ended on " + lastThread[16]);
            assertTrue(lastThread[31].startsWith("seq2seq-worker"), "item 31 ended on " + lastThread[31]);
        }
    }

    @Test
    void aPartTooSmallToHalveIsNotCut() {
        try (WorkerPool pool = new WorkerPool(2)) {
            ParallelKernels kernels = new ParallelKernels(Backend.chooseSingleThreaded(), pool);
            int[] smallestRange = {Integer.MAX_VALUE};
            long[] states = new long[ITEMS];
            Thread caller = Thread.currentThread();
            // two parts of 32 items, and 17 at least in a piece: no part can be halved
            kernels.forEachStep(ITEMS, 17, STEPS, (from, to, step) -> {
                if (Thread.currentThread() == caller) {
                    LockSupport.parkNanos(100_000);
                }
                synchronized (smallestRange) {
                    smallestRange[0] = Math.min(smallestRange[0], to - from);
                }
                for (int item = from; item < to; item++) {
                    states[item] = states[item] * 31 + step + item;
                }
            });
            assertArrayEquals(expectedStates(), states);
            assertEquals(32, smallestRange[0]);
        }
    }

    @Test
    void oneThreadRunsTheWholeRangeStepAfterStep() {
        try (WorkerPool pool = new WorkerPool(1)) {
            ParallelKernels kernels = new ParallelKernels(Backend.chooseSingleThreaded(), pool);
            long[] states = new long[ITEMS];
            kernels.forEachStep(ITEMS, 16, STEPS, (from, to, step) -> {
                assertEquals(0, from);
                assertEquals(ITEMS, to);
                for (int item = from; item < to; item++) {
                    states[item] = states[item] * 31 + step + item;
                }
            });
            assertArrayEquals(expectedStates(), states);
        }
    }

    @Test
    void calledFromInsideAPartItRunsThereWithoutWaitingForItself() {
        try (WorkerPool pool = new WorkerPool(2)) {
            ParallelKernels kernels = new ParallelKernels(Backend.chooseSingleThreaded(), pool);
            long[][] states = new long[2][ITEMS];
            kernels.forEachPart(2, 1, (from, to) -> {
                for (int part = from; part < to; part++) {
                    long[] mine = states[part];
                    kernels.forEachStep(ITEMS, 16, STEPS, (first, last, step) -> {
                        for (int item = first; item < last; item++) {
                            mine[item] = mine[item] * 31 + step + item;
                        }
                    });
                }
            });
            assertArrayEquals(expectedStates(), states[0]);
            assertArrayEquals(expectedStates(), states[1]);
        }
    }

    @Test
    void aFailingStepIsThrownToTheCallerAndNobodyWaitsForever() {
        try (WorkerPool pool = new WorkerPool(2)) {
            ParallelKernels kernels = new ParallelKernels(Backend.chooseSingleThreaded(), pool);
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> kernels.forEachStep(ITEMS, 16, STEPS, (from, to, step) -> {
                        if (from >= 32 && step == 3) {
                            throw new IllegalStateException("step 3 of the second part");
                        }
                    }));
            assertEquals("step 3 of the second part", thrown.getMessage());
            // the pool still works afterwards
            long[] states = new long[ITEMS];
            kernels.forEachStep(ITEMS, 16, STEPS, (from, to, step) -> {
                for (int item = from; item < to; item++) {
                    states[item] = states[item] * 31 + step + item;
                }
            });
            assertArrayEquals(expectedStates(), states);
        }
    }
}
