package dev.seq2seq.engine.kernels;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * How long a hand-off between the kernel threads takes on this machine at this moment, measured
 * in this JVM: the round trip of a {@link ParallelKernels#forEachPart} whose parts do nothing,
 * the caller handing a part to each worker and waiting until all are done.
 *
 * <p>A decoding step of one sentence through a stepper's {@code step} makes one such round trip
 * (its units are cut between the cores, which meet at the end of every step), and a step of a
 * run in lockstep ({@link ParallelKernels#inLockstep}) about half of one, so this cost sets part
 * of that step's time. On a shared host it depends on where the hypervisor placed the virtual
 * processors: on one machine it measured 0.25 us in one stretch and 0.65-1.1 us in another, which
 * moved one sentence's decoding by about a tenth before its steps ran in lockstep.
 * {@code seq2seq bench} prints it beside the FMA ceiling, so that a run's figures can be read
 * against it.
 */
public final class HandOffCost {
    /** Round trips are counted over windows this long; the median window is the figure. */
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
        long nanos = millis * 1_000_000L;
        long warmUntil = System.nanoTime() + nanos;
        while (System.nanoTime() < warmUntil) {
            kernels.forEachPart(threads, 1, part);
        }
        long window = Math.min(WINDOW_NANOS, nanos); // so at least one window
        double[] perWindow = new double[(int) (nanos / window)];
        for (int w = 0; w < perWindow.length; w++) {
            long began = System.nanoTime();
            long now = began;
            long trips = 0;
            while (now - began < window) {
                kernels.forEachPart(threads, 1, part);
                trips++;
                now = System.nanoTime();
            }
            perWindow[w] = (now - began) / 1e9 / trips;
        }
        Arrays.sort(perWindow);
        int n = perWindow.length;
        return OptionalDouble.of(n % 2 == 1 ? perWindow[n / 2] : (perWindow[n / 2 - 1] + perWindow[n / 2]) / 2);
    }
}
