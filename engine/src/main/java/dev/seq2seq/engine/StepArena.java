package dev.seq2seq.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The float arrays of one training step, handed out again to the next step instead of being
 * allocated anew.
 *
 * <p>Why: a training step allocates the same arrays in the same order batch after batch (the
 * activations, their gradients, the recurrences' saved states, the loss's probabilities), all of
 * which die when the step ends. Allocated with {@code new}, they are garbage the collector must
 * reclaim every step or so, and memory the JVM must zero; the heap must leave room for a step's
 * worth of garbage besides the live data. Recycled, a step makes almost no garbage, and the same
 * memory, still warm in the caches for the smaller arrays, serves step after step.
 *
 * <p>How: while an arena is {@linkplain #enter() entered} on a thread, {@link Tensor#zeros} and
 * {@link #floats} on that thread take arrays from it, each zeroed exactly as a new array is, and
 * a tensor whose values came from an arena takes its gradient array from the same arena.
 * {@link #recycle()} declares every array handed out so far dead and makes it available again.
 * Arrays are matched by exact length, so a tensor's array is exactly its size, as everywhere
 * else in the engine.
 *
 * <p>What is kept: batches of other lengths (masked padding) ask for other lengths. At
 * recycling, the arrays of the lengths the last step asked for are kept; so are those of lengths
 * asked for in the last {@value #KEPT_STEPS} steps, most recent first, as long as they add at most
 * as much again ({@link #EXTRA_SHARE} of what the last step used); the rest is let go. So the
 * arena holds at most about twice one step's arrays, and a few batch lengths that come back
 * often find their arrays.
 *
 * <p>The contract is the tape's: nothing created while the arena is entered may be used after
 * {@link #recycle()} (the autograd tape enters its arena while it records and recycles it when it
 * is cleared, which already drops every intermediate tensor). Parameters, optimiser state and
 * anything made outside the entered region are ordinary arrays and never touched. An arena
 * belongs to one thread: other threads (the kernels' workers) get ordinary arrays.
 */
public final class StepArena {
    /** Shorter arrays are cheaper to allocate than to look up. */
    static final int MIN_LENGTH = 256;

    private static final ThreadLocal<StepArena> CURRENT = new ThreadLocal<>();

    /** Free arrays by length, reused last in first out. */
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    /** Every array handed out since the last recycling and not given back; an array is here or free, never both. */
    private final Set<float[]> handedOut = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Steps whose arrays' lengths may still be kept if unasked since. */
    static final int KEPT_STEPS = 16;
    /** How much, as a share of what the last step used, arrays of lengths it did not ask for may add. */
    static final double EXTRA_SHARE = 1.0;

    /** The lengths asked for since the last recycling. */
    private final Set<Integer> lengthsAsked = new HashSet<>();
    /** For each length held, the number of the last recycling before which it was asked for. */
    private final Map<Integer, Long> lastAsked = new HashMap<>();
    /** Recyclings so far. */
    private long recyclings;
    /** The thread that first entered the arena: the only one it serves. */
    private Thread owner;
    private long floatsReused;
    private long floatsAllocated;
    private long floatsGivenBack;

    /** A region in which an arena is current on this thread; closing it restores what was before. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Makes this arena the one this thread's arrays come from, until the returned scope closes. */
    public Scope enter() {
        if (owner == null) {
            owner = Thread.currentThread();
        }
        checkThread("enter");
        StepArena previous = CURRENT.get();
        CURRENT.set(this);
        return () -> CURRENT.set(previous);
    }

    /** Makes no arena current on this thread until the returned scope closes (work that outlives the step). */
    public static Scope leave() {
        StepArena previous = CURRENT.get();
        CURRENT.remove();
        return () -> CURRENT.set(previous);
    }

    /** The arena entered on this thread, or null. */
    static StepArena current() {
        return CURRENT.get();
    }

    /**
     * A zeroed array of {@code length} floats: from the arena entered on this thread, or a new
     * array when there is none. Only for arrays that die with the step (see the class comment).
     */
    public static float[] floats(int length) {
        StepArena arena = CURRENT.get();
        return arena == null ? new float[length] : arena.take(length);
    }

    /** A zeroed array of {@code length} floats, reused when one of that length is free. */
    float[] take(int length) {
        if (length < MIN_LENGTH || Thread.currentThread() != owner) {
            return new float[length];
        }
        lengthsAsked.add(length);
        ArrayDeque<float[]> ofLength = free.get(length);
        float[] array = ofLength == null ? null : ofLength.pollLast();
        if (array == null) {
            array = new float[length];
            floatsAllocated += length;
        } else {
            Arrays.fill(array, 0f); // what the JVM does for a new array
            floatsReused += length;
        }
        handedOut.add(array);
        return array;
    }

    /**
     * An array handed out by this arena is dead from now on, before the step ends (the tape's
     * backward gives back an op's output once the op's backward has run). Arrays this arena did
     * not hand out, or already got back, are ignored.
     */
    void giveBack(float[] array) {
        if (Thread.currentThread() == owner && handedOut.remove(array)) {
            free.computeIfAbsent(array.length, length -> new ArrayDeque<>()).addLast(array);
            floatsGivenBack += array.length;
        }
    }

    /**
     * Every array handed out so far is dead from now on and will be handed out again; arrays of
     * lengths not asked for lately are let go (see the class comment). A recycling with nothing
     * asked for since the last one changes nothing.
     */
    public void recycle() {
        if (owner != null) {
            checkThread("recycle");
        }
        if (lengthsAsked.isEmpty()) {
            return;
        }
        recyclings++;
        for (float[] array : handedOut) {
            free.computeIfAbsent(array.length, length -> new ArrayDeque<>()).addLast(array);
        }
        handedOut.clear();
        long used = 0;
        for (Integer length : lengthsAsked) {
            lastAsked.put(length, recyclings);
            used += (long) length * free.get(length).size();
        }
        lengthsAsked.clear();
        // the other lengths, most recently asked first, within the budget and the age limit
        List<Integer> others = new ArrayList<>();
        for (Integer length : free.keySet()) {
            if (lastAsked.get(length) != recyclings) {
                others.add(length);
            }
        }
        others.sort(Comparator.comparingLong((Integer length) -> lastAsked.get(length)).reversed()
                .thenComparing(Comparator.naturalOrder()));
        long extra = 0;
        for (Integer length : others) {
            long size = (long) length * free.get(length).size();
            if (recyclings - lastAsked.get(length) < KEPT_STEPS && extra + size <= EXTRA_SHARE * used) {
                extra += size;
            } else {
                free.remove(length);
                lastAsked.remove(length);
            }
        }
    }

    /** Floats handed out again from earlier steps, so far. */
    public long floatsReused() {
        return floatsReused;
    }

    /** Floats the arena had to allocate, so far. */
    public long floatsAllocated() {
        return floatsAllocated;
    }

    /** Floats given back before their step ended, so far. */
    public long floatsGivenBack() {
        return floatsGivenBack;
    }

    /** Floats held for the next step (free now, or handed out since the last recycling). */
    public long floatsHeld() {
        long held = 0;
        for (float[] array : handedOut) {
            held += array.length;
        }
        for (ArrayDeque<float[]> arrays : free.values()) {
            for (float[] array : arrays) {
                held += array.length;
            }
        }
        return held;
    }

    private void checkThread(String what) {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("StepArena." + what + ": the arena belongs to thread " + owner.getName()
                    + ", not " + Thread.currentThread().getName());
        }
    }
}
