package dev.seq2seq.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The hand-off round trip and the step in lockstep that {@code bench} prints beside the FMA ceiling. */
class HandOffCostTest {

    @Test
    void theRoundTripGoesThroughEveryKernelThread() {
        try (WorkerPool pool = new WorkerPool(2)) {
            ParallelKernels kernels = new ParallelKernels(Backend.chooseSingleThreaded(), pool);
            Set<String> ranOn = ConcurrentHashMap.newKeySet();
            OptionalDouble seconds = HandOffCost.measure(kernels, 40, (from, to) -> ranOn.add(
                    Thread.currentThread().getName()));
            assertEquals(Set.of(Thread.currentThread().getName(), "seq2seq-worker-1"), ranOn);
            assertTrue(seconds.isPresent());
            // seconds, not micro- or nanoseconds: a host that stalls a processor for milliseconds
            // made the median window's round trip 1.0 ms once, so the bound is loose
            double trip = seconds.getAsDouble();
            assertTrue(trip > 0 && trip < 0.1, "seconds per round trip: " + trip);
            assertTrue(HandOffCost.measure(kernels, 20).isPresent());
        }
    }

    @Test
    void aStepInLockstepGoesThroughEveryKernelThread() {
        try (WorkerPool pool = new WorkerPool(2)) {
            ParallelKernels kernels = new ParallelKernels(Backend.chooseSingleThreaded(), pool);
            Set<String> ranOn = ConcurrentHashMap.newKeySet();
            OptionalDouble seconds = HandOffCost.lockstepStep(kernels, 40, (from, to) -> ranOn.add(
                    Thread.currentThread().getName()));
            assertEquals(Set.of(Thread.currentThread().getName(), "seq2seq-worker-1"), ranOn);
            double step = seconds.orElseThrow();
            assertTrue(step > 0 && step < 0.1, "seconds per step in lockstep: " + step);
            assertTrue(HandOffCost.lockstepStep(kernels, 20).isPresent());
        }
    }

    @Test
    void oneKernelThreadHasNoHandOff() {
        try (WorkerPool pool = new WorkerPool(2)) {
            ParallelKernels kernels = new ParallelKernels(Backend.chooseSingleThreaded(), pool);
            try (ParallelKernels.ThreadLimit ignored = kernels.limitThreads(1)) {
                assertFalse(HandOffCost.measure(kernels, 20).isPresent());
                assertFalse(HandOffCost.lockstepStep(kernels, 20).isPresent());
            }
        }
        try (WorkerPool pool = new WorkerPool(1)) {
            ParallelKernels kernels = new ParallelKernels(Backend.chooseSingleThreaded(), pool);
            assertFalse(HandOffCost.measure(kernels, 20).isPresent());
            assertFalse(HandOffCost.lockstepStep(kernels, 20).isPresent());
        }
    }
}
