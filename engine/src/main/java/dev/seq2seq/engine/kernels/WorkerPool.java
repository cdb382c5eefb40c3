package dev.seq2seq.engine.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * A fixed set of threads that runs the parts of one kernel call side by side.
 *
 * <p>The caller says how many parts there are and what each part computes; which thread runs a
 * part does not matter, because the parts write disjoint outputs and each part's arithmetic is
 * fixed. That is what makes results independent of thread timing. Part 0 runs on the calling
 * thread. A call made from inside a part runs its own parts in sequence (no nested waiting).
 */
public final class WorkerPool implements AutoCloseable {
    private final int threads;
    private final ExecutorService workers;
    private final ThreadLocal<Boolean> insidePart = ThreadLocal.withInitial(() -> Boolean.FALSE);

    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("WorkerPool: thread count must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.workers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, runnable -> {
            Thread thread = new Thread(runnable, "seq2seq-worker");
            thread.setDaemon(true);
            return thread;
        });
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code part.accept(0 .. parts-1)}, spread over the pool, and returns when all are done. */
    public void run(int parts, IntConsumer part) {
        if (parts <= 1 || workers == null || insidePart.get()) {
            for (int p = 0; p < parts; p++) {
                part.accept(p);
            }
            return;
        }
        List<Future<?>> pending = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int index = p;
            pending.add(workers.submit(() -> runPart(part, index)));
        }
        runPart(part, 0);
        for (Future<?> future : pending) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a kernel part", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException) {
                    throw (RuntimeException) cause;
                }
                if (cause instanceof Error) {
                    throw (Error) cause;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    private void runPart(IntConsumer part, int index) {
        insidePart.set(Boolean.TRUE);
        try {
            part.accept(index);
        } finally {
            insidePart.set(Boolean.FALSE);
        }
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
