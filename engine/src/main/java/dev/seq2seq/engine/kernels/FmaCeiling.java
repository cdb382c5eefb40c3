package dev.seq2seq.engine.kernels;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.OptionalDouble;
import java.util.concurrent.CyclicBarrier;

/**
 * The machine's FMA ceiling, measured in this JVM: {@code threads} threads at once, each running
 * the vector FMA loop ({@code kernels.vector.FmaChains}) and nothing else. A workload's FLOP rate
 * divided by it says how much of the machine the workload uses. Empty without the Vector API
 * module, whose loop it needs.
 */
public final class FmaCeiling {
    private static final String CHAINS_CLASS = "dev.seq2seq.engine.kernels.vector.FmaChains";
    /** Steps of one call of the loop: about a millisecond. */
    private static final int STEPS = 100_000;

    private FmaCeiling() {
    }

    /** The loop's rate is read over windows this long; each thread keeps its best. */
    private static final long WINDOW_NANOS = 50_000_000L;

    /**
     * FLOP/s of {@code threads} threads running the FMA loop together for {@code millis}
     * milliseconds, after as long to warm up (the JIT, and the cores' clocks). Each thread's rate
     * is that of its best {@link #WINDOW_NANOS} window: on a shared host other tenants only ever
     * slow the loop down (one whole-second reading once came out at half the usual figure, and
     * every share of it with it), so the best window is what the machine can do.
     */
    public static OptionalDouble measure(int threads, long millis) {
        if (!Backend.vectorModuleReadable()) {
            return OptionalDouble.empty();
        }
        MethodHandle run;
        double flopsPerCall;
        try {
            Class<?> chains = Class.forName(CHAINS_CLASS);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            run = lookup.findStatic(chains, "run", MethodType.methodType(float.class, float.class, float.class,
                    int.class));
            flopsPerCall = (double) lookup.findStatic(chains, "flops", MethodType.methodType(double.class, int.class))
                    .invoke(STEPS);
        } catch (Throwable e) {
            return OptionalDouble.empty();
        }
        double[] callsPerSecond = new double[threads];
        CyclicBarrier start = new CyclicBarrier(threads);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int index = t;
            workers[t] = new Thread(() -> {
                try {
                    float sink = 0;
                    long warmUntil = System.nanoTime() + millis * 1_000_000L;
                    while (System.nanoTime() < warmUntil) {
                        sink += (float) run.invokeExact(1.0000001f, 0.9999999f, STEPS);
                    }
                    start.await();
                    long now = System.nanoTime();
                    long until = now + millis * 1_000_000L;
                    long windowStart = now;
                    long done = 0;
                    double best = 0;
                    while (now < until) {
                        sink += (float) run.invokeExact(1.0000001f, 0.9999999f, STEPS);
                        done++;
                        now = System.nanoTime();
                        if (now - windowStart >= Math.min(WINDOW_NANOS, millis * 1_000_000L) || now >= until) {
                            best = Math.max(best, done * 1e9 / (now - windowStart));
                            windowStart = now;
                            done = 0;
                        }
                    }
                    callsPerSecond[index] = sink == 42 ? best + 1 : best; // the sum is used, so no call is removed
                } catch (Throwable e) {
                    callsPerSecond[index] = -1;
                }
            }, "seq2seq-fma-ceiling-" + t);
            workers[t].start();
        }
        double flopsPerSecond = 0;
        for (int t = 0; t < threads; t++) {
            try {
                workers[t].join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return OptionalDouble.empty();
            }
            if (callsPerSecond[t] < 0) {
                return OptionalDouble.empty();
            }
            flopsPerSecond += callsPerSecond[t] * flopsPerCall;
        }
        return OptionalDouble.of(flopsPerSecond);
    }
}
