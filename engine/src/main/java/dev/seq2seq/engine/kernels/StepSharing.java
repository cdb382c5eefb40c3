package dev.seq2seq.engine.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of {@link ParallelKernels#forEachStep}: parts of a range that go through their steps
 * each on its own thread, where a thread whose part is done takes over half of a part still
 * running.
 *
 * <p>Why: a part fixed in advance waits, at the end, for the slowest part, and on a shared host
 * one core is often slower than the other for a while (in the seed's training the faster of two
 * row groups waited 8-17% of the recurrences' time). Splitting finer from the start would cost
 * every step a thinner matrix product; splitting only when a thread is idle costs nothing when
 * the parts keep pace.
 *
 * <p>How: an idle thread says so ({@link #idle}, read by every running piece before each step)
 * and waits for a piece in its mailbox. A running piece of at least {@code 2 minPart} items that
 * sees an idle thread keeps the lower half of its items and posts the upper half, from its next
 * step on, to that thread's mailbox. The items' state up to that step is in the body's arrays,
 * written by the posting thread before the mailbox's volatile write, so the thread that reads the
 * mailbox sees it. {@link #running} counts the pieces not finished: the run is over when it is 0.
 */
final class StepSharing {
    /** Items [from, to) from step {@code firstStep} on. */
    private record Piece(int from, int to, int firstStep) {
    }

    /** How long an idle thread spins for a piece before it starts to sleep between looks. */
    private static final int SPINS_BEFORE_SLEEPING = 1 << 16;

    private final ParallelKernels.RangeStep body;
    private final int steps;
    private final int minPart;
    private final AtomicInteger running;
    private final AtomicReferenceArray<Piece> mailbox;
    /** Which parts' threads wait for a piece: guarded by this object's lock. */
    private final boolean[] waiting;
    /** How many threads wait: written under the lock, read without it at every step. */
    private volatile int idle;

    StepSharing(int parts, int steps, int minPart, ParallelKernels.RangeStep body) {
        this.body = body;
        this.steps = steps;
        this.minPart = minPart;
        this.running = new AtomicInteger(parts);
        this.mailbox = new AtomicReferenceArray<>(parts);
        this.waiting = new boolean[parts];
    }

    /** Part {@code part}'s items [from, to) through all steps, then whatever other parts hand over. */
    void runPart(int part, int from, int to) {
        runPiece(new Piece(from, to, 0));
        Piece handed;
        while ((handed = awaitPiece(part)) != null) {
            runPiece(handed);
        }
    }

    private void runPiece(Piece piece) {
        try {
            int to = piece.to;
            for (int step = piece.firstStep; step < steps; step++) {
                if (idle > 0 && to - piece.from >= 2 * minPart) {
                    to = handOverUpperHalf(piece.from, to, step);
                }
                body.run(piece.from, to, step);
            }
        } finally {
            running.decrementAndGet(); // also on failure, so that no thread waits forever
        }
    }

    /** Gives [middle, to) from {@code step} on to a waiting thread, if one still waits; returns the new end. */
    private synchronized int handOverUpperHalf(int from, int to, int step) {
        for (int part = 0; part < waiting.length; part++) {
            if (waiting[part]) {
                waiting[part] = false;
                idle--;
                int middle = from + (to - from) / 2;
                running.incrementAndGet(); // before the piece is visible: the run is not over until it is done
                mailbox.set(part, new Piece(middle, to, step));
                return middle;
            }
        }
        return to;
    }

    /** Waits until another part hands this one a piece (returned) or every piece is done (null). */
    private Piece awaitPiece(int part) {
        synchronized (this) {
            if (running.get() == 0) {
                return null;
            }
            waiting[part] = true;
            idle++;
        }
        long spins = 0;
        while (true) {
            Piece handed = mailbox.getAndSet(part, null);
            if (handed != null) {
                return handed;
            }
            if (running.get() == 0) {
                // Nothing can be handed now (only a running piece hands over, and a handed piece
                // counts as running until it is done), so this thread is no longer waiting.
                synchronized (this) {
                    if (waiting[part]) {
                        waiting[part] = false;
                        idle--;
                    }
                }
                return null;
            }
            if (++spins < SPINS_BEFORE_SLEEPING) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(20_000); // a long wait: stop burning the core
            }
        }
    }
}
