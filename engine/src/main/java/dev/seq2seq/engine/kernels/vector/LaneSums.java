package dev.seq2seq.engine.kernels.vector;

import static dev.seq2seq.engine.kernels.vector.VectorWidth.LANES;
import static dev.seq2seq.engine.kernels.vector.VectorWidth.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * Sums of many floats that come out the same whatever the vector width: the elements are summed
 * in {@link #VIRTUAL_LANES} partial sums, element i into partial sum i % 16 for the whole multiples
 * of 16, then the 16 partial sums in order, then the last n % 16 elements one by one. A 512-bit
 * vector holds the 16 partial sums in one register; 256 bits in two, 128 bits in four. Summed in
 * the machine's own lanes instead, as these kernels once were, a softmax's row sum depended on
 * the width, and so the training: the seed's job gave a third-epoch loss of 2.0533 with AVX-512
 * and 2.0522 with AVX2.
 */
final class LaneSums {
    /** The partial sums every width keeps: a 512-bit vector's floats. */
    static final int VIRTUAL_LANES = 16;

    /** A per-thread place to spill the partial sums (no allocation per row of a softmax). */
    private static final ThreadLocal<float[]> PARTIAL = ThreadLocal.withInitial(() -> new float[VIRTUAL_LANES]);

    private LaneSums() {
    }

    /** x[0] + ... + x[n-1], in the order the class comment gives. */
    static float sum(float[] x, int xOff, int n) {
        int bound = n - n % VIRTUAL_LANES;
        float[] partial = PARTIAL.get();
        if (LANES == 16) {
            FloatVector s0 = FloatVector.zero(SPECIES);
            for (int i = 0; i < bound; i += VIRTUAL_LANES) {
                s0 = s0.add(FloatVector.fromArray(SPECIES, x, xOff + i));
            }
            s0.intoArray(partial, 0);
        } else if (LANES == 8) {
            FloatVector s0 = FloatVector.zero(SPECIES);
            FloatVector s1 = FloatVector.zero(SPECIES);
            for (int i = 0; i < bound; i += VIRTUAL_LANES) {
                s0 = s0.add(FloatVector.fromArray(SPECIES, x, xOff + i));
                s1 = s1.add(FloatVector.fromArray(SPECIES, x, xOff + i + 8));
            }
            s0.intoArray(partial, 0);
            s1.intoArray(partial, 8);
        } else if (LANES == 4) {
            FloatVector s0 = FloatVector.zero(SPECIES);
            FloatVector s1 = FloatVector.zero(SPECIES);
            FloatVector s2 = FloatVector.zero(SPECIES);
            FloatVector s3 = FloatVector.zero(SPECIES);
            for (int i = 0; i < bound; i += VIRTUAL_LANES) {
                s0 = s0.add(FloatVector.fromArray(SPECIES, x, xOff + i));
                s1 = s1.add(FloatVector.fromArray(SPECIES, x, xOff + i + 4));
                s2 = s2.add(FloatVector.fromArray(SPECIES, x, xOff + i + 8));
                s3 = s3.add(FloatVector.fromArray(SPECIES, x, xOff + i + 12));
            }
            s0.intoArray(partial, 0);
            s1.intoArray(partial, 4);
            s2.intoArray(partial, 8);
            s3.intoArray(partial, 12);
        } else {
            partialSums(x, xOff, bound, partial);
        }
        return finish(partial, x, xOff, bound, n);
    }

    /** out = exp(x - shift), returning the sum of out in the order of {@link #sum}. */
    static float expShifted(float[] x, int xOff, float shift, float[] out, int outOff, int n) {
        // exp is elementwise and rounds the same in a lane and in the scalar tail, so its loop can
        // take the machine's own width; only the sum must not
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            Transcendentals.exp(FloatVector.fromArray(SPECIES, x, xOff + i).sub(shift)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = Transcendentals.exp(x[xOff + i] - shift);
        }
        return sum(out, outOff, n);
    }

    /** The partial sums one element at a time: the definition, for widths the vector paths do not cover. */
    static void partialSums(float[] x, int xOff, int bound, float[] partial) {
        java.util.Arrays.fill(partial, 0, VIRTUAL_LANES, 0f);
        for (int i = 0; i < bound; i++) {
            partial[i % VIRTUAL_LANES] += x[xOff + i];
        }
    }

    private static float finish(float[] partial, float[] x, int xOff, int bound, int n) {
        float total = 0f;
        for (int v = 0; v < VIRTUAL_LANES; v++) {
            total += partial[v];
        }
        for (int i = bound; i < n; i++) {
            total += x[xOff + i];
        }
        return total;
    }
}
