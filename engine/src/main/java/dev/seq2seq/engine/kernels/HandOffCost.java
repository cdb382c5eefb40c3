package dev.seq2seq.engine.kernels;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * How long a hand-off between the kernel threads takes on this machine at this moment, measured
 * in this JVM: the round trip of a {@link ParallelKernels#forEachPart} whose parts do nothing,
 * the caller handing a part to each worker and waiting until all are done; and a step of a run
 * in lockstep ({@link ParallelKernels#inLockstep}) whose parts do nothing but meet.
 *
 * <p>A decoding step of one sentence through a stepper's {@code step} makes one such round trip
 * (its units are cut between the cores, which meet at the end of every step), and a step of
 * greedy decoding, in lockstep, one meeting, so these costs set part of that step's time. On a
 * shared host they depend on where the hypervisor placed the virtual processors: on one machine
 * the round trip measured 0.25 us in one stretch and 0.65-1.1 us in another, which moved one
 * sentence's decoding by about a tenth before its steps ran in lockstep; a step in lockstep
 * 0.27-0.31 us in a stretch where the round trip took 0.8-1.9 us. {@code seq2seq bench} prints
 * both beside the FMA ceiling, so that a run's figures can be read against them.
 */
public final class HandOffCost {
    /** Round trips and steps are counted over windows this long; the median window is the figure. */
    private static final long WINDOW_NANOS = 10_000_000L;

    private HandOffCost() {
    }

    /**
     * Seconds per round trip through {@code kernels}' threads: the median of the
     * {@link #WINDOW_NANOS} windows of {@code millis} milliseconds, after as long for the JIT.
     * The median rather than the best window: a decoding meets the typical hand-off, and the
     * host's stalls are rare enough not to move it. Empty with a single kernel thread (or under a
     * {@link ParallelKernels#limitThreads} of one).
     */
    public static OptionalDouble measure(ParallelKernels kernels, long millis) {
        return measure(kernels, millis, (from, to) -> {
        });
    }

    /** As {@link #measure(ParallelKernels, long)} with parts that run {@code part} (a test's probe). */
    static OptionalDouble measure(ParallelKernels kernels, long millis, ParallelKernels.Range part) {
        int threads = kernels.activeThreads();
        if (threads < 2 || millis < 1) {
            return OptionalDouble.empty();
        }
        return medianOfWindows(millis, nanos -> {
            long began = System.nanoTime();
            long trips = 0;
            do {
                kernels.forEachPart(threads, 1, part);
                trips++;
            } while (System.nanoTime() - began < nanos);
            return trips;
        });
    }

    /**
     * Seconds per step of a run in lockstep through all of {@code kernels}' threads
     * ({@link ParallelKernels#inLockstep}) whose parts do nothing but meet: what one sentence's
     * greedy decoding pays a step beside its work. Measured as {@link #measure} is, one run per
     * window. Empty with a single kernel thread, or where the threads cannot run in lockstep.
     */
    public static OptionalDouble lockstepStep(ParallelKernels kernels, long millis) {
        return lockstepStep(kernels, millis, (from, to) -> {
        });
    }

    /**
     * As {@link #lockstepStep(ParallelKernels, long)}, part p running {@code part.run(p, p + 1)} at
     * each step (a test's probe).
     */
    static OptionalDouble lockstepStep(ParallelKernels kernels, long millis, ParallelKernels.Range part) {
        int threads = kernels.activeThreads();
        if (threads < 2 || millis < 1 || !kernels.inLockstep(threads, (p, parts, step) -> false)) {
            return OptionalDouble.empty();
        }
        return medianOfWindows(millis, nanos -> {
            long end = System.nanoTime() + nanos;
            long[] steps = new long[1];
            kernels.inLockstep(threads, (p, parts, step) -> {
                part.run(p, p + 1);
                if (p != 0) {
                    return true; // part 0 decides
                }
                steps[0] = step + 1;
                // the clock read every 64 steps: at 27 ns a read (a KVM guest's clock), every
                // step's would be a tenth of the step
                return (step & 63) != 63 || System.nanoTime() < end;
            });
            return steps[0];
        });
    }

    /** Runs as much of some work as fits in {@code nanos} from the call on; returns how many units it ran. */
    private interface Window {
        long run(long nanos);
    }

    /**
     * The median over {@link #WINDOW_NANOS} windows filling {@code millis} milliseconds of each
     * window's seconds per unit of work, after as long for the JIT.
     */
    private static OptionalDouble medianOfWindows(long millis, Window work) {
        long nanos = millis * 1_000_000L;
        long warmUntil = System.nanoTime() + nanos;
        while (System.nanoTime() < warmUntil) {
            work.run(warmUntil - System.nanoTime());
        }
        long window = Math.min(WINDOW_NANOS, nanos); // so at least one window
        double[] perWindow = new double[(int) (nanos / window)];
        for (int w = 0; w < perWindow.length; w++) {
            long began = System.nanoTime();
            long units = work.run(window);
            perWindow[w] = (System.nanoTime() - began) / 1e9 / units;
        }
        Arrays.sort(perWindow);
        int n = perWindow.length;
        return OptionalDouble.of(n % 2 == 1 ? perWindow[n / 2] : (perWindow[n / 2 - 1] + perWindow[n / 2]) / 2);
    }
}
