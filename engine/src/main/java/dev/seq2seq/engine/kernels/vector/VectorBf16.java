package dev.seq2seq.engine.kernels.vector;

import static dev.seq2seq.engine.kernels.vector.VectorWidth.LANES;
import static dev.seq2seq.engine.kernels.vector.VectorWidth.SPECIES;

import dev.seq2seq.engine.kernels.Bf16;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One row times a bf16 matrix ({@link dev.seq2seq.engine.kernels.Kernels#rowTimesBf16Matrix}),
 * the way {@link VectorGemm#rowTimesMatrix} does it for float32: B read row after row, several
 * rows per pass over c ({@link #ROWS_PER_PASS}). B is in {@link Bf16#pairs}' layout, two weights
 * to an int: a vector of ints read from row p at int j widens to columns [j, j + LANES) by
 * shifting each int 16 bits left and to columns [h + j, h + j + LANES) by clearing its low 16
 * bits (h ints to a row), each read as floats: exact, one instruction per vector of weights
 * beside its FMA. The rows of a pass are written out one by one, as in VectorGemm: vectors
 * handed to a helper method were boxed.
 */
final class VectorBf16 {
    /** As many ints as floats: the same bits. */
    private static final VectorSpecies<Integer> INTS = SPECIES.withLanes(int.class);
    private static final int HIGH_HALF = 0xFFFF0000;
    /**
     * Rows of B per pass over c. Eight, as the float32 kernel takes, need eight broadcast rows of
     * a, the mask, two sums and the widened weights live at once: more than AVX2's 16 vector
     * registers, and C2 kept the rows on the stack, reloading each at every vector (34 loads for
     * 16 FMAs instead of 10). Six fit: a 256 x 512 panel (a core's half of U in a batch-1
     * decoding step) in 6.0-6.1 us against 8.7-9.3 us on AVX2 (Bf16RowProductBenchmark, JDK 25,
     * two runs of each build, alternated). The order of each column's sum does not change.
     */
    static final int ROWS_PER_PASS = 6;

    private VectorBf16() {
    }

    static void rowTimesMatrix(float[] a, int aOff, int[] b, int bOff, float[] c, int cOff, int k, int n,
                               boolean accumulate) {
        if (!accumulate) {
            java.util.Arrays.fill(c, cOff, cOff + n, 0f);
        }
        int half = Bf16.pairColumns(n);
        // ints j whose high column exists (n odd: the last int's high half is padding), in whole vectors
        int paired = n - half;
        int vectorEnd = paired - paired % LANES;
        int p = 0;
        for (; p + ROWS_PER_PASS <= k; p += ROWS_PER_PASS) {
            FloatVector a0 = FloatVector.broadcast(SPECIES, a[aOff + p]);
            FloatVector a1 = FloatVector.broadcast(SPECIES, a[aOff + p + 1]);
            FloatVector a2 = FloatVector.broadcast(SPECIES, a[aOff + p + 2]);
            FloatVector a3 = FloatVector.broadcast(SPECIES, a[aOff + p + 3]);
            FloatVector a4 = FloatVector.broadcast(SPECIES, a[aOff + p + 4]);
            FloatVector a5 = FloatVector.broadcast(SPECIES, a[aOff + p + 5]);
            int b0 = bOff + p * half;
            for (int j = 0; j < vectorEnd; j += LANES) {
                int bj = b0 + j;
                FloatVector low = FloatVector.fromArray(SPECIES, c, cOff + j);
                FloatVector high = FloatVector.fromArray(SPECIES, c, cOff + half + j);
                IntVector w = IntVector.fromArray(INTS, b, bj);
                low = a0.fma(w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), low);
                high = a0.fma(w.lanewise(VectorOperators.AND, HIGH_HALF).reinterpretAsFloats(), high);
                w = IntVector.fromArray(INTS, b, bj + half);
                low = a1.fma(w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), low);
                high = a1.fma(w.lanewise(VectorOperators.AND, HIGH_HALF).reinterpretAsFloats(), high);
                w = IntVector.fromArray(INTS, b, bj + 2 * half);
                low = a2.fma(w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), low);
                high = a2.fma(w.lanewise(VectorOperators.AND, HIGH_HALF).reinterpretAsFloats(), high);
                w = IntVector.fromArray(INTS, b, bj + 3 * half);
                low = a3.fma(w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), low);
                high = a3.fma(w.lanewise(VectorOperators.AND, HIGH_HALF).reinterpretAsFloats(), high);
                w = IntVector.fromArray(INTS, b, bj + 4 * half);
                low = a4.fma(w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), low);
                high = a4.fma(w.lanewise(VectorOperators.AND, HIGH_HALF).reinterpretAsFloats(), high);
                w = IntVector.fromArray(INTS, b, bj + 5 * half);
                low = a5.fma(w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), low);
                high = a5.fma(w.lanewise(VectorOperators.AND, HIGH_HALF).reinterpretAsFloats(), high);
                low.intoArray(c, cOff + j);
                high.intoArray(c, cOff + half + j);
            }
        }
        if (p < k) {
            lastRows(a, aOff, b, bOff, c, cOff, p, k, half, vectorEnd);
        }
        if (vectorEnd < half) {
            lastColumns(a, aOff, b, bOff, c, cOff, k, n, half, vectorEnd);
        }
    }

    /**
     * Rows [from, k) of B (fewer than {@link #ROWS_PER_PASS}), one at a time, for the ints [0,
     * vectorEnd). A method of its own, as is {@link #lastColumns}: the fewer vector operations one
     * method holds, the surer the JIT is to compile all of them into vector instructions.
     */
    private static void lastRows(float[] a, int aOff, int[] b, int bOff, float[] c, int cOff, int from, int k,
                                 int half, int vectorEnd) {
        for (int p = from; p < k; p++) {
            FloatVector ap = FloatVector.broadcast(SPECIES, a[aOff + p]);
            int bp = bOff + p * half;
            for (int j = 0; j < vectorEnd; j += LANES) {
                IntVector w = IntVector.fromArray(INTS, b, bp + j);
                ap.fma(w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(),
                        FloatVector.fromArray(SPECIES, c, cOff + j)).intoArray(c, cOff + j);
                ap.fma(w.lanewise(VectorOperators.AND, HIGH_HALF).reinterpretAsFloats(),
                        FloatVector.fromArray(SPECIES, c, cOff + half + j)).intoArray(c, cOff + half + j);
            }
        }
    }

    /** The ints [vectorEnd, half) of every row, one column at a time: the same FMAs in the same order. */
    private static void lastColumns(float[] a, int aOff, int[] b, int bOff, float[] c, int cOff, int k, int n,
                                    int half, int vectorEnd) {
        for (int j = vectorEnd; j < half; j++) {
            float low = c[cOff + j];
            for (int p = 0; p < k; p++) {
                low = Math.fma(a[aOff + p], Bf16.low(b[bOff + p * half + j]), low);
            }
            c[cOff + j] = low;
            if (half + j < n) {
                float high = c[cOff + half + j];
                for (int p = 0; p < k; p++) {
                    high = Math.fma(a[aOff + p], Bf16.high(b[bOff + p * half + j]), high);
                }
                c[cOff + half + j] = high;
            }
        }
    }
}
