package dev.seq2seq.engine.autograd;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Where a training step's time goes, op by op: attached to a {@link Tape}
 * ({@link Tape#profile}), it adds up the wall-clock time of every recorded op, forward and
 * backward, under the op's name and shapes ("matmul([64, 512], [512, 1024]) -> [64, 1024]").
 *
 * <p>A forward op is timed from the end of the previous recorded op (or {@link #mark}) to its own
 * recording, which is when its output is complete: what runs between two ops (a batch being
 * built, an optimiser step) belongs to the next op unless it is marked with a name of its own.
 * A backward op is timed exactly. The clock is read twice per op, some 50 ns, against ops of
 * microseconds to milliseconds. Unlike a sampling profiler it needs no agent and cannot be
 * misled by the JIT's inlining, but it sees ops, not the kernels inside them: the shapes say
 * which product is which.
 */
public final class OpProfile {
    /** Totals of one op with one set of shapes. */
    private static final class Totals {
        long forwardNanos;
        long backwardNanos;
        long forwardCalls;
        long backwardCalls;
    }

    private final Map<String, Totals> totals = new LinkedHashMap<>();
    private final LongSupplier clock;
    private long last;

    /** A profile on the JVM's monotonic clock. */
    public OpProfile() {
        this(System::nanoTime);
    }

    /** A profile on this clock, in nanoseconds (tests give one they move by hand). */
    OpProfile(LongSupplier clock) {
        this.clock = clock;
        this.last = clock.getAsLong();
    }

    /** The clock's time, in nanoseconds. */
    long now() {
        return clock.getAsLong();
    }

    /** Starts a new interval now: what ran before is not counted. */
    public void restart() {
        last = now();
    }

    /** The time since the last op or mark goes to {@code name} (a phase that is not an op). */
    public void mark(String name) {
        long now = now();
        Totals t = totals.computeIfAbsent(name, k -> new Totals());
        t.forwardNanos += now - last;
        t.forwardCalls++;
        last = now;
    }

    void forward(String op) {
        mark(op);
    }

    void backward(String op, long nanos) {
        Totals t = totals.computeIfAbsent(op, k -> new Totals());
        t.backwardNanos += nanos;
        t.backwardCalls++;
    }

    /** The seconds counted so far, forward and backward, over every op and mark. */
    public double totalSeconds() {
        long nanos = 0;
        for (Totals t : totals.values()) {
            nanos += t.forwardNanos + t.backwardNanos;
        }
        return nanos / 1e9;
    }

    /** The seconds counted for ops whose key starts with {@code prefix}, forward and backward. */
    public double seconds(String prefix) {
        long nanos = 0;
        for (Map.Entry<String, Totals> e : totals.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                nanos += e.getValue().forwardNanos + e.getValue().backwardNanos;
            }
        }
        return nanos / 1e9;
    }

    /**
     * Prints two Markdown tables: every op by name (its shapes summed), then the {@code top}
     * costliest ops with their shapes; each row with the seconds forward and backward, the calls,
     * and the share of all the counted time.
     */
    public void print(PrintStream out, int top) {
        Map<String, Totals> byName = new LinkedHashMap<>();
        for (Map.Entry<String, Totals> e : totals.entrySet()) {
            String key = e.getKey();
            String name = key.startsWith("(") || key.indexOf('(') < 0 ? key : key.substring(0, key.indexOf('('));
            Totals sum = byName.computeIfAbsent(name, k -> new Totals());
            sum.forwardNanos += e.getValue().forwardNanos;
            sum.backwardNanos += e.getValue().backwardNanos;
            sum.forwardCalls += e.getValue().forwardCalls;
            sum.backwardCalls += e.getValue().backwardCalls;
        }
        table(out, "op", byName, byName.size());
        out.println();
        table(out, "op (shapes)", totals, top);
        out.printf(Locale.ROOT, "(%.1f s counted)%n", totalSeconds());
    }

    private void table(PrintStream out, String heading, Map<String, Totals> rows, int top) {
        double all = totalSeconds();
        List<Map.Entry<String, Totals>> sorted = new ArrayList<>(rows.entrySet());
        sorted.sort(Comparator.comparingLong((Map.Entry<String, Totals> e) ->
                e.getValue().forwardNanos + e.getValue().backwardNanos).reversed());
        out.println("| " + heading + " | forward s | backward s | calls | share |");
        out.println("|---|---:|---:|---:|---:|");
        for (Map.Entry<String, Totals> e : sorted.subList(0, Math.min(top, sorted.size()))) {
            Totals t = e.getValue();
            double seconds = (t.forwardNanos + t.backwardNanos) / 1e9;
            out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %d | %.1f%% |%n", e.getKey(), t.forwardNanos / 1e9,
                    t.backwardNanos / 1e9, Math.max(t.forwardCalls, t.backwardCalls),
                    all == 0 ? 0 : 100 * seconds / all);
        }
    }
}
