package dev.seq2seq.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ParallelKernels#sideBySide}: each result made where it says, both returned, failures thrown. */
@Timeout(60)
class SideBySideTest {

    @Test
    void onTwoThreadsTheSecondIsMadeOnTheOtherThread() {
        try (WorkerPool pool = new WorkerPool(2)) {
            ParallelKernels kernels = new ParallelKernels(Backend.chooseSingleThreaded(), pool);
            Thread caller = Thread.currentThread();
            ParallelKernels.Both<Thread, Thread> made = kernels.sideBySide(Thread::currentThread, Thread::currentThread);
            assertEquals(caller, made.onCaller());
            assertNotEquals(caller, made.elsewhere());
            ParallelKernels.Both<float[], String> arrays = kernels.sideBySide(() -> new float[7], () -> "packed");
            assertEquals(7, arrays.onCaller().length);
            assertEquals("packed", arrays.elsewhere());
        }
    }

    @Test
    void onOneThreadBothAreMadeThereInOrder() {
        try (WorkerPool pool = new WorkerPool(1)) {
            ParallelKernels kernels = new ParallelKernels(Backend.chooseSingleThreaded(), pool);
            Thread caller = Thread.currentThread();
            StringBuilder order = new StringBuilder();
            ParallelKernels.Both<Thread, Thread> made = kernels.sideBySide(
                    () -> {
                        order.append("first ");
                        return Thread.currentThread();
                    },
                    () -> {
                        order.append("second");
                        return Thread.currentThread();
                    });
            assertEquals(caller, made.onCaller());
            assertEquals(caller, made.elsewhere());
            assertEquals("first second", order.toString());
        }
    }

    @Test
    void aFailureOnEitherSideIsThrownToTheCaller() {
        try (WorkerPool pool = new WorkerPool(2)) {
            ParallelKernels kernels = new ParallelKernels(Backend.chooseSingleThreaded(), pool);
            IllegalStateException elsewhere = assertThrows(IllegalStateException.class,
                    () -> kernels.sideBySide(() -> 1, () -> {
                        throw new IllegalStateException("elsewhere");
                    }));
            assertEquals("elsewhere", elsewhere.getMessage());
            IllegalStateException onCaller = assertThrows(IllegalStateException.class,
                    () -> kernels.sideBySide(() -> {
                        throw new IllegalStateException("on the caller");
                    }, () -> 2));
            assertEquals("on the caller", onCaller.getMessage());
        }
    }
}
