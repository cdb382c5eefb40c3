package dev.seq2seq.engine.autograd;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.PackedMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reverse-mode automatic differentiation by a tape.
 *
 * <p>While a tape is active on a thread ({@link #activate()}), every op whose inputs need a
 * gradient appends an entry: its name, inputs, output, and a backward function written right under
 * its forward. {@link #backward(Tensor)} seeds d(loss)/d(loss) = 1 and runs the entries in reverse
 * order; each backward reads its output's gradient and accumulates (+=) into its inputs'
 * gradients. Reverse order is a valid order because an entry's output is only ever used by later
 * entries, so its gradient is complete when its turn comes.
 *
 * <p>With no active tape nothing is recorded: that is inference mode. {@link #clear()} drops the
 * entries (and with them every intermediate tensor) so one tape serves batch after batch.
 */
public final class Tape {
    private static final ThreadLocal<Tape> ACTIVE = new ThreadLocal<>();

    /** What an op must do in backward: accumulate into its inputs' gradients. */
    @FunctionalInterface
    public interface Backward {
        void run();
    }

    /**
     * Work that ops of a backward pass leave to its end, one object per key
     * ({@link #deferredInBackward}): each op of the pass that asks for the key adds to it, in the
     * order the pass runs them, and it finishes once, after every op's backward. A decoder that
     * runs one step at a time adds each step's rows to a weight's gradient: as one product over the
     * rows of all the steps at the end, the gradient is read and written once a pass instead of
     * once a step.
     */
    public interface Deferred {
        /** The first op of a pass asks for it: it holds nothing yet for this pass. */
        void start();

        /** Every op's backward has run: add what the ops left into the gradients. */
        void finish();
    }

    /** One recorded op; its name and shapes name it when its backward fails. */
    private record Entry(String op, Tensor output, Tensor[] inputs, Backward backward) {
        /** "matmul([64, 256], [256, 1024]) -> [64, 1024]". */
        String describe() {
            StringBuilder text = new StringBuilder(op).append('(');
            for (int i = 0; i < inputs.length; i++) {
                text.append(i == 0 ? "" : ", ").append(Arrays.toString(inputs[i].shape()));
            }
            return text.append(") -> ").append(Arrays.toString(output.shape())).toString();
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    /** Where the op times go, or null (no timing). */
    private OpProfile profile;

    /** The tape whose {@link #backward} runs on this thread, or null. */
    private static final ThreadLocal<Tape> IN_BACKWARD = new ThreadLocal<>();
    /** Backward passes run so far: a transposed copy made in an earlier one is stale. */
    private long passes;
    /** Calls of {@link #clear} so far: with {@link #passes}, they end a recorded forward pass. */
    private long clears;
    /**
     * Copies of the matrices the ops of a pass multiply by on the right, keyed by their data array
     * (weak: an intermediate's copy goes with it; a weight's array lives on, so its copy is
     * refreshed in place pass after pass, with no allocation).
     */
    private final Map<float[], List<Copies>> copies = new WeakHashMap<>();
    /**
     * Deferred work by key, kept from pass to pass while its key lives (weak: it holds the arrays
     * it fills, reused by the next pass; it must not hold its key after it finishes).
     */
    private final Map<Object, Deferred> deferred = new WeakHashMap<>();
    /** The arrays of the tensors declared leaves ({@link #stackProductGradientsOf}), weakly held. */
    private final Map<float[], Boolean> stackedLeaves = new WeakHashMap<>();
    /** The deferred work the running pass asked for, in the order first asked, with its name. */
    private final Map<Deferred, String> deferredInPass = new LinkedHashMap<>();

    /**
     * Of the matrix B [rows, cols] at {@code offset} of an array: B^T as it is (data, as of backward
     * pass {@code pass}) and packed in strips (packedTransposed), and B itself packed in strips for
     * a forward pass (packedForward), each made when first asked for in its pass.
     */
    private static final class Copies {
        final int offset;
        final int rows;
        final int cols;
        float[] data;
        long pass = -1;
        final PackedCopy packedTransposed = new PackedCopy();
        final PackedCopy packedForward = new PackedCopy();

        Copies(int offset, int rows, int cols) {
            this.offset = offset;
            this.rows = rows;
            this.cols = cols;
        }
    }

    /** A packed copy and the pass it was made for. */
    private static final class PackedCopy {
        private PackedMatrix matrix;
        private long pass = -1;

        /** The copy of pass {@code current}: the one held, or one packed anew into its array. */
        PackedMatrix forPass(long current, Function<float[], PackedMatrix> pack) {
            if (pass != current) {
                matrix = pack.apply(matrix == null ? null : matrix.data());
                pass = current;
            }
            return matrix;
        }
    }

    /** Times every op this tape records, and its backward, into {@code profile} (null: stop timing). */
    public void profile(OpProfile profile) {
        this.profile = profile;
        if (profile != null) {
            profile.restart();
        }
    }

    /** With a profile attached, the time since the last op goes to {@code phase} (work that is not an op). */
    public void mark(String phase) {
        if (profile != null) {
            profile.mark(phase);
        }
    }

    /** The tape recording on this thread, or null. */
    public static Tape active() {
        return ACTIVE.get();
    }

    /** Makes this tape record the ops of this thread until the returned scope is closed. */
    public Scope activate() {
        Tape previous = ACTIVE.get();
        ACTIVE.set(this);
        return () -> ACTIVE.set(previous);
    }

    /** Stops recording on this thread until the returned scope is closed (inference inside training). */
    public static Scope pause() {
        Tape previous = ACTIVE.get();
        ACTIVE.remove();
        return () -> ACTIVE.set(previous);
    }

    /** A region of recording or not recording; closing it restores what was before. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Whether an op with these inputs must be recorded: a tape is active and some input needs a
     * gradient. When it returns true the op's output is marked as needing a gradient too.
     */
    public static boolean recording(Tensor... inputs) {
        if (ACTIVE.get() == null) {
            return false;
        }
        for (Tensor input : inputs) {
            if (input.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /** Records an op on the active tape (call only after {@link #recording} said yes). */
    public static void record(String op, Tensor output, Backward backward, Tensor... inputs) {
        Tape tape = ACTIVE.get();
        if (tape == null) {
            throw new IllegalStateException(op + ": no active tape to record on");
        }
        output.requireGrad();
        Entry entry = new Entry(op, output, inputs, backward);
        if (tape.profile != null) {
            tape.profile.forward(entry.describe());
        }
        tape.entries.add(entry);
    }

    /** How many ops are recorded. */
    public int size() {
        return entries.size();
    }

    /**
     * Computes d(loss)/d(x) for every recorded tensor x that needs a gradient, accumulating into
     * their gradient arrays. The loss must be a single value.
     */
    public void backward(Tensor loss) {
        if (loss.size() != 1) {
            throw new IllegalArgumentException("backward: the loss must be a single value, got " + loss.describe());
        }
        if (!loss.requiresGrad()) {
            throw new IllegalArgumentException("backward: " + loss.describe()
                    + " does not depend on any tensor that requires a gradient (was the tape active?)");
        }
        loss.gradData()[loss.offset()] += 1f;
        passes++;
        mark("(forward, outside recorded ops)");
        Tape outer = IN_BACKWARD.get();
        IN_BACKWARD.set(this);
        try {
            for (int e = entries.size() - 1; e >= 0; e--) {
                Entry entry = entries.get(e);
                if (!entry.output.hasGrad()) {
                    continue; // nothing downstream of this op reached the loss
                }
                try {
                    long began = profile == null ? 0 : profile.now();
                    entry.backward.run();
                    if (profile != null) {
                        profile.backward(entry.describe(), profile.now() - began);
                    }
                } catch (RuntimeException failure) {
                    // what the pass deferred is half done: dropped, so that no later pass finishes it
                    deferred.values().removeAll(deferredInPass.keySet());
                    throw new IllegalStateException("backward of " + entry.describe() + " failed: "
                            + failure.getMessage(), failure);
                }
            }
            for (Map.Entry<Deferred, String> work : deferredInPass.entrySet()) {
                long began = profile == null ? 0 : profile.now();
                work.getKey().finish();
                if (profile != null) {
                    profile.backward(work.getValue(), profile.now() - began);
                }
            }
        } finally {
            deferredInPass.clear();
            IN_BACKWARD.set(outer);
            if (profile != null) {
                profile.restart(); // backward was timed op by op
            }
        }
    }

    /**
     * The deferred work under {@code key} for the running backward pass: the one the pass already
     * asked for, else the one kept from an earlier pass (or made by {@code make}), started for this
     * pass. It finishes after every op's backward, timed under {@code name} when the tape has a
     * profile. Only an op's backward may ask (it throws outside a backward pass); one key, one type.
     */
    public static <D extends Deferred> D deferredInBackward(String name, Object key, Class<D> type, Supplier<D> make) {
        Tape tape = IN_BACKWARD.get();
        if (tape == null) {
            throw new IllegalStateException(name + ": deferred work asked for outside a backward pass");
        }
        Deferred work = tape.deferred.computeIfAbsent(key, k -> make.get());
        if (!tape.deferredInPass.containsKey(work)) {
            work.start();
            tape.deferredInPass.put(work, name);
        }
        return type.cast(work);
    }

    /**
     * Declares these tensors leaves of the graph, tensors no op produces (a model's parameters),
     * for this tape's passes: the gradient of a product by one of them (or by a view of one),
     * dB += A^T dC, may then wait for the end of the pass and be summed there with the others of
     * the same matrix over their stacked rows ({@link StackedProducts}). Only a leaf's: an op's
     * output needs its whole gradient before its own op's backward runs. Declare them again after
     * their arrays change (they are known by their arrays).
     */
    public void stackProductGradientsOf(Collection<Tensor> leaves) {
        for (Tensor leaf : leaves) {
            stackedLeaves.put(leaf.data(), Boolean.TRUE);
        }
    }

    /** Whether a backward pass runs on this thread and b lies in the array of a declared leaf. */
    static boolean stacksProductGradientOf(Tensor b) {
        Tape tape = IN_BACKWARD.get();
        return tape != null && tape.stackedLeaves.containsKey(b.data());
    }

    /**
     * The transpose [n, k] of a matrix b [k, n], for an op's backward that multiplies by b^T
     * (dA = dC . B^T): made once per backward pass and shared by every op of the pass that asks
     * for the same matrix, or null when no backward pass runs on this thread (the caller then
     * transposes as it goes). Nothing writes a tensor's values during backward (only gradients;
     * a recurrence turns its activations into gradients in place, in the storage of an input
     * projection no other op reads), so a copy stays right for the whole pass. A decoder that
     * runs one step at a time multiplies by the same weights at every step: its backward
     * transposed each of them once per step.
     */
    public static float[] transposedInBackward(Tensor b) {
        Tape tape = IN_BACKWARD.get();
        if (tape == null || b.rank() != 2) {
            return null;
        }
        Copies copy = tape.copiesOf(b);
        if (copy.pass != tape.passes) {
            if (copy.data == null) {
                copy.data = new float[copy.rows * copy.cols];
            }
            Backend.kernels().transpose(b.data(), b.offset(), copy.cols, copy.rows, copy.cols, copy.data, 0);
            copy.pass = tape.passes;
        }
        return copy.data;
    }

    /**
     * As {@link #transposedInBackward}, b^T [n, k] of b [k, n] packed in strips for
     * {@code Kernels.matmulPacked} ({@code Kernels.packTransposed}, straight from b): a product by
     * it reads its strips as they are, where a product by the plain transposed copy copies every
     * strip of it again. The same bits either way. Null when no backward pass runs on this thread.
     */
    public static PackedMatrix packedTransposedInBackward(Tensor b) {
        Tape tape = IN_BACKWARD.get();
        if (tape == null || b.rank() != 2) {
            return null;
        }
        Copies copy = tape.copiesOf(b);
        return copy.packedTransposed.forPass(tape.passes, storage ->
                Backend.kernels().packTransposed(b.data(), b.offset(), copy.cols, copy.cols, copy.rows, storage));
    }

    /**
     * B [k, n] packed in strips for {@code Kernels.matmulPacked}, made once per recorded forward
     * pass (from the last {@link #backward} or {@link #clear} to the next) and shared by every op
     * of the pass that asks for the same matrix, or null when no tape records on this thread. A
     * decoder that runs one step at a time (input feeding) multiplies by the same recurrent
     * kernel at every step; read as it is, each step's product ran the general tiles. The copy is
     * right for the whole pass because a tensor an op has recorded does not change before the
     * tape is cleared: its backward reads it.
     */
    public static PackedMatrix packedInForward(Tensor b) {
        Tape tape = ACTIVE.get();
        if (tape == null || b.rank() != 2) {
            return null;
        }
        Copies copy = tape.copiesOf(b);
        long pass = tape.passes + tape.clears; // each backward pass and each clear ends a forward pass
        return copy.packedForward.forPass(pass, storage ->
                Backend.kernels().pack(b.data(), b.offset(), copy.cols, copy.rows, copy.cols, storage));
    }

    /** The entry for matrix b's copies, made empty on first use. */
    private Copies copiesOf(Tensor b) {
        int rows = b.dim(0);
        int cols = b.dim(1);
        List<Copies> entries = copies.computeIfAbsent(b.data(), array -> new ArrayList<>(1));
        for (Copies candidate : entries) {
            if (candidate.offset == b.offset() && candidate.rows == rows && candidate.cols == cols) {
                return candidate;
            }
        }
        Copies copy = new Copies(b.offset(), rows, cols);
        entries.add(copy);
        return copy;
    }

    /**
     * Forgets every entry, so the intermediate tensors can be collected. Parameters keep their
     * gradients, and the weights' copies their arrays, refreshed by the next pass.
     */
    public void clear() {
        entries.clear();
        clears++;
    }
}
