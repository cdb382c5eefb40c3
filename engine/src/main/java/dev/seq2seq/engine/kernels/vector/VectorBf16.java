package dev.seq2seq.engine.kernels.vector;

import static dev.seq2seq.engine.kernels.vector.VectorWidth.LANES;
import static dev.seq2seq.engine.kernels.vector.VectorWidth.SPECIES;

import dev.seq2seq.engine.kernels.Bf16;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * One row times a bf16 matrix ({@link dev.seq2seq.engine.kernels.Kernels#rowTimesBf16Matrix}),
 * the way {@link VectorGemm#rowTimesMatrix} does it for float32: B read row after row, 8 rows per
 * pass over c. A vector of bf16 weights is widened by sign-extending each short to an int (the
 * high half is then shifted out), shifting it 16 bits left and reading the bits as floats: exact,
 * and two instructions per vector beside the FMA.
 */
final class VectorBf16 {
    /** As many shorts as {@link VectorWidth#SPECIES} has floats: half its bits. */
    private static final VectorSpecies<Short> SHORTS =
            VectorSpecies.of(short.class, VectorShape.forBitSize(SPECIES.vectorBitSize() / 2));
    /** As many ints as floats: the same bits. */
    private static final VectorSpecies<Integer> INTS = SPECIES.withLanes(int.class);

    private VectorBf16() {
    }

    /** LANES bf16 weights from {@code b[at]} on, as floats. */
    private static FloatVector widen(short[] b, int at) {
        return ((IntVector) ShortVector.fromArray(SHORTS, b, at).convertShape(VectorOperators.S2I, INTS, 0))
                .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    static void rowTimesMatrix(float[] a, int aOff, short[] b, int bOff, int ldb, float[] c, int cOff, int k, int n,
                               boolean accumulate) {
        if (!accumulate) {
            java.util.Arrays.fill(c, cOff, cOff + n, 0f);
        }
        int vectorEnd = n - n % LANES;
        int p = 0;
        for (; p + 8 <= k; p += 8) {
            FloatVector a0 = FloatVector.broadcast(SPECIES, a[aOff + p]);
            FloatVector a1 = FloatVector.broadcast(SPECIES, a[aOff + p + 1]);
            FloatVector a2 = FloatVector.broadcast(SPECIES, a[aOff + p + 2]);
            FloatVector a3 = FloatVector.broadcast(SPECIES, a[aOff + p + 3]);
            FloatVector a4 = FloatVector.broadcast(SPECIES, a[aOff + p + 4]);
            FloatVector a5 = FloatVector.broadcast(SPECIES, a[aOff + p + 5]);
            FloatVector a6 = FloatVector.broadcast(SPECIES, a[aOff + p + 6]);
            FloatVector a7 = FloatVector.broadcast(SPECIES, a[aOff + p + 7]);
            int b0 = bOff + p * ldb;
            for (int j = 0; j < vectorEnd; j += LANES) {
                int bj = b0 + j;
                FloatVector sum = FloatVector.fromArray(SPECIES, c, cOff + j);
                sum = a0.fma(widen(b, bj), sum);
                sum = a1.fma(widen(b, bj + ldb), sum);
                sum = a2.fma(widen(b, bj + 2 * ldb), sum);
                sum = a3.fma(widen(b, bj + 3 * ldb), sum);
                sum = a4.fma(widen(b, bj + 4 * ldb), sum);
                sum = a5.fma(widen(b, bj + 5 * ldb), sum);
                sum = a6.fma(widen(b, bj + 6 * ldb), sum);
                sum = a7.fma(widen(b, bj + 7 * ldb), sum);
                sum.intoArray(c, cOff + j);
            }
        }
        for (; p < k; p++) {
            FloatVector ap = FloatVector.broadcast(SPECIES, a[aOff + p]);
            int bp = bOff + p * ldb;
            for (int j = 0; j < vectorEnd; j += LANES) {
                ap.fma(widen(b, bp + j), FloatVector.fromArray(SPECIES, c, cOff + j)).intoArray(c, cOff + j);
            }
        }
        // The last n % LANES columns, one at a time: the same FMAs in the same order.
        for (int j = vectorEnd; j < n; j++) {
            float sum = c[cOff + j];
            for (int q = 0; q < k; q++) {
                sum = Math.fma(a[aOff + q], Bf16.widen(b[bOff + q * ldb + j]), sum);
            }
            c[cOff + j] = sum;
        }
    }
}
