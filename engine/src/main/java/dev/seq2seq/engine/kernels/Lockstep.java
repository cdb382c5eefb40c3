package dev.seq2seq.engine.kernels;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of {@link ParallelKernels#inLockstep}: parts that go through their steps each on its own
 * thread at once, all meeting at the end of every step.
 *
 * <p>Why: the units of one sentence's recurrence are cut between the cores, and each step needs
 * the whole of the last step's h. Stepping through {@link ParallelKernels#forEachPart} costs every
 * step a hand-off and a wait for its end: the caller writes the worker's mailbox, the worker sees
 * it, reads h, writes its part of the new state and then its done flag, and the caller sees that
 * and reads the worker's part, about four trips between the cores one after the other (0.1-0.5 us
 * each on the shared host measured, against a step of 5-6 us of work). Here each part keeps
 * its thread for the whole run and says it has finished a step by writing its step count; the
 * others wait for that count, then read what it wrote. Both cores write and wait at once, so a
 * step costs one trip between them.
 *
 * <p>How: part p writes {@code arrived[p] = s + 1} (a release store, after every write of its
 * step) and waits until every other part's count is at least s + 1 (acquire loads: then it sees
 * all their writes of step s). The release store does not wait for the store to reach the other
 * core, as a volatile one would, so each core's wait for the other's count overlaps its own
 * count's way out. Part 0 decides whether the run goes on: it marks its count with
 * {@link #STOPPED} after its last step, so the others stop at the same step whatever their own
 * answer. A part is never more than one step ahead of another (it waits for the others at the end
 * of each step), so a count one step past the one awaited means the other part went on. A part
 * that fails marks the run failed: the others stop waiting, and the failure is thrown to the
 * caller once every part has returned.
 */
final class Lockstep {
    /** Set in part 0's count after its last step. */
    private static final long STOPPED = 1L << 62;
    /**
     * Each count on a line pair of its own: 16 longs, so that no two parts' writes share a line or
     * its prefetched neighbour.
     */
    private static final int STRIDE = 16;
    /** How long a part spins for the others before it starts to sleep between looks (a stalled processor). */
    private static final int SPINS_BEFORE_SLEEPING = 1 << 16;

    /** Thrown inside a part whose partner failed: it stops that part, and is not the run's failure. */
    private static final class Abandoned extends RuntimeException {
        Abandoned() {
            super(null, null, false, false);
        }
    }

    private final int parts;
    private final ParallelKernels.LockstepPart body;
    private final AtomicLongArray arrived;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean failed;

    Lockstep(int parts, ParallelKernels.LockstepPart body) {
        this.parts = parts;
        this.body = body;
        this.arrived = new AtomicLongArray(parts * STRIDE);
    }

    /** Part {@code part}'s steps until part 0 stops; a failure is kept for {@link #rethrow}, not thrown. */
    void runPart(int part) {
        try {
            for (int step = 0; ; step++) {
                boolean goOn = body.step(part, parts, step);
                if (part == 0) {
                    arrived.setRelease(0, goOn ? step + 1 : (step + 1) | STOPPED);
                } else {
                    arrived.setRelease(part * STRIDE, step + 1);
                }
                if (!awaitOthers(part, step + 1, goOn)) {
                    return;
                }
            }
        } catch (Abandoned stop) {
            // a partner failed: its failure is the run's
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
            failed = true;
        }
    }

    /**
     * Waits until every other part has finished step {@code count - 1}; returns whether the run goes
     * on: part 0's own answer, {@code answer}, for part 0; for the others, whether part 0 went on.
     */
    private boolean awaitOthers(int part, long count, boolean answer) {
        boolean goOn = part != 0 || answer;
        for (int other = 0; other < parts; other++) {
            if (other == part) {
                continue;
            }
            long spins = 0;
            long seen;
            while (((seen = arrived.getAcquire(other * STRIDE)) & ~STOPPED) < count) {
                if (failed) {
                    throw new Abandoned();
                }
                if (++spins < SPINS_BEFORE_SLEEPING) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(20_000); // the other's processor stalled: stop burning this one
                }
            }
            // part 0 is at most one step ahead: a stop marked on a later count is not this step's
            if (other == 0 && (seen & STOPPED) != 0 && (seen & ~STOPPED) == count) {
                goOn = false;
            }
        }
        return goOn;
    }

    /** Throws the first failure of any part, if one failed. */
    void rethrow() {
        Throwable thrown = failure.get();
        if (thrown instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (thrown instanceof Error error) {
            throw error;
        }
    }
}
