package dev.seq2seq.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ParallelKernels#inLockstep}: the parts run at once on their own threads, each sees every
 * write the others made in the step before, part 0 alone decides when the run ends, and a part's
 * failure ends the run for all and reaches the caller. A part that waited for ever would hang
 * the build: each test runs on a thread of its own, and fails after its time is up.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LockstepTest {
    private static final int STEPS = 50;

    private static ParallelKernels kernelsOver(WorkerPool pool) {
        return new ParallelKernels(Backend.chooseSingleThreaded(), pool);
    }

    /** What part p writes at step s: its slot's value for that step. */
    private static long written(int part, int step) {
        return step * 1_000L + part;
    }

    @Test
    void eachStepSeesEveryWriteOfTheStepBefore() {
        try (WorkerPool pool = new WorkerPool(2)) {
            ParallelKernels kernels = kernelsOver(pool);
            // plain arrays, which the meetings must publish; step s writes set s % 2 (set (s - 1) % 2
            // is still being read by a part that has not finished step s)
            long[][] slots = new long[2][2];
            Thread[] ranOn = new Thread[2];
            int[] stepsRun = new int[2];
            boolean ran = kernels.inLockstep(2, (part, parts, step) -> {
                assertEquals(2, parts);
                if (step > 0) {
                    for (int other = 0; other < parts; other++) {
                        assertEquals(written(other, step - 1), slots[(step - 1) % 2][other],
                                "part " + part + " at step " + step + " reads part " + other);
                    }
                }
                if (part == 1 && step % 5 == 0) {
                    LockSupport.parkNanos(2_000_000); // the worker lags: part 0 must wait for it
                }
                slots[step % 2][part] = written(part, step);
                ranOn[part] = Thread.currentThread();
                stepsRun[part]++;
                return step + 1 < STEPS;
            });
            assertTrue(ran);
            assertEquals(STEPS, stepsRun[0]);
            assertEquals(STEPS, stepsRun[1]);
            assertSame(Thread.currentThread(), ranOn[0]);
            assertNotEquals(Thread.currentThread(), ranOn[1]);
        }
    }

    @Test
    void partZeroAloneDecidesWhenTheRunEnds() {
        try (WorkerPool pool = new WorkerPool(2)) {
            ParallelKernels kernels = kernelsOver(pool);
            int[] stepsRun = new int[2];
            kernels.inLockstep(2, (part, parts, step) -> {
                stepsRun[part]++;
                // part 1 would stop at once and part 0 after 7 steps: 7 steps for both
                return part == 0 && step < 6;
            });
            assertEquals(7, stepsRun[0]);
            assertEquals(7, stepsRun[1]);
            kernels.inLockstep(2, (part, parts, step) -> {
                stepsRun[part] += 10;
                return part == 1; // part 0 stops after its first step, part 1 would go on
            });
            assertEquals(17, stepsRun[0]);
            assertEquals(17, stepsRun[1]);
        }
    }

    @Test
    void aFailingPartEndsTheRunForAllAndItsFailureReachesTheCaller() {
        try (WorkerPool pool = new WorkerPool(2)) {
            ParallelKernels kernels = kernelsOver(pool);
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> kernels.inLockstep(2, (part, parts, step) -> {
                        if (part == 1 && step == 3) {
                            throw new IllegalStateException("worker fails at step 3");
                        }
                        return true; // part 0 would go on for ever: only the failure ends the run
                    }));
            assertEquals("worker fails at step 3", thrown.getMessage());
            IllegalArgumentException first = assertThrows(IllegalArgumentException.class,
                    () -> kernels.inLockstep(2, (part, parts, step) -> {
                        if (part == 0 && step == 2) {
                            throw new IllegalArgumentException("caller fails at step 2");
                        }
                        return true;
                    }));
            assertEquals("caller fails at step 2", first.getMessage());
            // the pool is free again afterwards
            assertTrue(kernels.inLockstep(2, (part, parts, step) -> step < 2));
        }
    }

    @Test
    void partsThatCannotAllRunAtOnceRunNothing() {
        ParallelKernels.LockstepPart never = (part, parts, step) -> {
            throw new AssertionError("ran part " + part);
        };
        try (WorkerPool pool = new WorkerPool(2)) {
            ParallelKernels kernels = kernelsOver(pool);
            assertFalse(kernels.inLockstep(3, never), "more parts than threads");
            assertFalse(kernels.inLockstep(1, never), "one part: nothing to meet");
            try (ParallelKernels.ThreadLimit ignored = kernels.limitThreads(1)) {
                assertFalse(kernels.inLockstep(2, never), "under a limit of one thread");
            }
            boolean[] insideRan = new boolean[1];
            kernels.forEachPart(2, 1, (from, to) -> {
                if (from == 0) {
                    insideRan[0] = kernels.inLockstep(2, never);
                }
            });
            assertFalse(insideRan[0], "from inside a part");
        }
        try (WorkerPool pool = new WorkerPool(1)) {
            assertFalse(kernelsOver(pool).inLockstep(2, never), "a pool of one thread");
        }
    }
}
