package dev.seq2seq.engine.kernels;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed set of threads that runs the parts of one kernel call side by side.
 *
 * <p>The caller says how many parts there are and what each part computes; which thread runs a
 * part does not matter for the result, because the parts write disjoint outputs and each part's
 * arithmetic is fixed. That is what makes results independent of thread timing. Part 0 runs on
 * the calling thread, part p on worker p (always the same one, so a worker keeps its share of a
 * weight matrix in its own cache from call to call). A call made from inside a part runs its own
 * parts in sequence (no nested waiting).
 *
 * <p>Hand-offs must cost far less than the work: a decoding step is a few microseconds. So an idle
 * worker spins for a short while before it parks, and a waiting caller spins before it sleeps;
 * an executor's queue and futures cost tens of microseconds per hand-off.
 */
public final class WorkerPool implements AutoCloseable {
    /** How long an idle worker keeps spinning for the next part before it parks. */
    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final int threads;
    private final Worker[] workers;
    private final ThreadLocal<Boolean> insidePart = ThreadLocal.withInitial(() -> Boolean.FALSE);

    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("WorkerPool: thread count must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker("seq2seq-worker-" + (w + 1));
            workers[w].start();
        }
    }

    public int threads() {
        return threads;
    }

    /** Whether the calling thread is running a part: then {@link #run} runs parts one after the other. */
    boolean insidePart() {
        return insidePart.get();
    }

    /** Runs {@code part.accept(0 .. parts-1)}, spread over the pool, and returns when all are done. */
    public void run(int parts, IntConsumer part) {
        if (parts <= 1 || workers.length == 0 || insidePart.get()) {
            for (int p = 0; p < parts; p++) {
                part.accept(p);
            }
            return;
        }
        if (parts > threads) {
            throw new IllegalArgumentException("WorkerPool: " + parts + " parts for " + threads + " threads");
        }
        synchronized (this) { // one caller at a time owns the workers
            runParts(parts, part);
        }
    }

    private void runParts(int parts, IntConsumer part) {
        for (int p = 1; p < parts; p++) {
            workers[p - 1].hand(part, p);
        }
        Throwable failure = null;
        insidePart.set(Boolean.TRUE);
        try {
            part.accept(0);
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            insidePart.set(Boolean.FALSE);
        }
        for (int p = 1; p < parts; p++) {
            Throwable thrown = workers[p - 1].awaitDone();
            if (failure == null) {
                failure = thrown;
            }
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
    }

    @Override
    public void close() {
        for (Worker worker : workers) {
            worker.shutDown();
        }
    }

    /** One thread and its mailbox: a task is handed over by bumping {@code handed}. */
    private final class Worker extends Thread {
        private volatile long handed;
        private volatile long done;
        private volatile boolean parked;
        private volatile boolean stopping;
        private IntConsumer task;
        private int index;
        private Throwable failure;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        void hand(IntConsumer work, int partIndex) {
            task = work;
            index = partIndex;
            failure = null;
            handed = handed + 1; // volatile write: publishes task and index
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        Throwable awaitDone() {
            long target = handed;
            long spins = 0;
            while (done != target) {
                if (++spins < 1 << 16) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(20_000); // a long part: stop burning the core
                }
            }
            return failure; // read after the volatile read of done
        }

        void shutDown() {
            stopping = true;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            insidePart.set(Boolean.TRUE); // kernels called by a part run on this thread
            long seen = 0;
            while (!stopping) {
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                while (handed == seen && !stopping) {
                    if (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;
                        if (handed == seen && !stopping) {
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
                if (stopping) {
                    return;
                }
                seen = handed;
                try {
                    task.accept(index);
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
                done = seen; // volatile write: publishes the part's results and any failure
            }
        }
    }
}
