package dev.seq2seq.engine.autograd;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.PackedMatrix;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Weight matrices packed in strips ({@link PackedMatrix}) once for a run of inference steps that
 * all multiply by them, and the scope in which the products of the ops read those copies
 * ({@link #use}). A decoding run multiplies a few rows by the same input, recurrent and
 * attention matrices at every step; read as it is, each product lays out strips of B afresh
 * (Zen 5, [1, 256] x [256, 1,024]: 12.8 us plain, 7.6 packed; 5 rows 19.9 and 9.8). Packed or
 * not, a product gives the same bits.
 *
 * <p>While a scope is open on a thread, {@link #packedFor} gives the copy of any matrix that lies
 * in one of the weights' arrays (a weight, or a view of its rows, as an input kernel's fed-back
 * part), made on first need and then shared by every thread of the run. The copies are a
 * snapshot: the weights must not change while the run lasts (make a new one after they do).
 * Outside a scope, and for any other matrix, products read B as it is.
 */
public final class PackedWeights {
    private static final ThreadLocal<PackedWeights> CURRENT = new ThreadLocal<>();

    /** The weights' arrays, by identity. */
    private final Set<float[]> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Key, PackedMatrix> copies = new ConcurrentHashMap<>();

    /** A matrix [rows, cols] at {@code offset} of an array (compared by identity: records compare arrays so). */
    private record Key(float[] array, int offset, int rows, int cols) {
    }

    /** Copies of (matrices in) these weights, none made yet. */
    public PackedWeights(Collection<Tensor> weights) {
        for (Tensor weight : weights) {
            arrays.add(weight.data());
        }
    }

    /** Opens this run's scope on the calling thread, until {@link Scope#close}; scopes nest. */
    public Scope use() {
        PackedWeights outer = CURRENT.get();
        CURRENT.set(this);
        return () -> {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        };
    }

    /** An open scope; closing it restores the one it was opened in. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * B [k, n] packed for {@code Kernels.matmulPacked}: the open scope's copy when B lies in one
     * of its weights' arrays; else null (no scope on this thread, or not a weight).
     */
    public static PackedMatrix packedFor(Tensor b) {
        PackedWeights current = CURRENT.get();
        if (current == null || b.rank() != 2 || !current.arrays.contains(b.data())) {
            return null;
        }
        int rows = b.dim(0);
        int cols = b.dim(1);
        return current.copies.computeIfAbsent(new Key(b.data(), b.offset(), rows, cols),
                key -> Backend.kernels().pack(b.data(), b.offset(), cols, rows, cols));
    }
}
