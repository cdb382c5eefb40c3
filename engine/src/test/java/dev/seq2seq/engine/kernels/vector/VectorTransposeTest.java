package dev.seq2seq.engine.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.seq2seq.engine.kernels.PackedMatrix;
import dev.seq2seq.engine.kernels.Transpose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The transposition in registers against {@link Transpose}'s: whole 16 x 16 blocks, the rows and
 * columns past the last one, offsets and a leading dimension on both sides, and listed rows. The
 * path through registers is run whatever the JDK (on JDK 17, slowly) when the vectors have 16 or
 * 8 lanes (the build runs this class at each width); the dispatching methods at every width.
 */
class VectorTransposeTest {

    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({"1,1", "3,17", "16,16", "17,16", "16,17", "33,65", "256,256", "300,257", "47,1024"})
    void transposesAsTheScalarBlocks(int rows, int cols) {
        int lds = cols + 3;
        int ldd = rows + 5;
        float[] src = new float[2 + rows * lds];
        for (int i = 0; i < src.length; i++) {
            src[i] = i * 0.5f - 7;
        }
        float[] expected = new float[4 + cols * ldd];
        Transpose.blocked(src, 2, lds, rows, cols, expected, 4, ldd);
        float[] dispatched = new float[expected.length];
        VectorTranspose.blocked(src, 2, lds, rows, cols, dispatched, 4, ldd);
        assertArrayEquals(expected, dispatched, "blocked");
        assumeTrue(VectorTranspose.SIDE > 0, "the blocks through registers take vectors of 16 or 8 lanes");
        float[] inRegisters = new float[expected.length];
        VectorTranspose.inRegisters(src, 2, lds, null, 0, rows, cols, inRegisters, 4, ldd);
        assertArrayEquals(expected, inRegisters, "through registers");
    }

    @ParameterizedTest(name = "{0} of {1} rows x {2}")
    @CsvSource({"1,5,3", "16,40,16", "21,40,33", "100,300,256"})
    void transposesListedRowsAsTheScalarBlocks(int count, int available, int cols) {
        int lds = cols + 1;
        float[] src = new float[available * lds];
        for (int i = 0; i < src.length; i++) {
            src[i] = i * 0.25f + 1;
        }
        int[] rows = new int[count + 3];
        for (int q = 0; q < rows.length; q++) {
            rows[q] = (q * 7 + 2) % available; // out of order, from the third entry on
        }
        float[] expected = new float[cols * count];
        Transpose.blockedRows(src, lds, rows, 2, count, cols, expected);
        float[] dispatched = new float[expected.length];
        VectorTranspose.blockedRows(src, lds, rows, 2, count, cols, dispatched);
        assertArrayEquals(expected, dispatched, "blockedRows");
        assumeTrue(VectorTranspose.SIDE > 0, "the blocks through registers take vectors of 16 or 8 lanes");
        float[] inRegisters = new float[expected.length];
        VectorTranspose.inRegisters(src, 0, lds, rows, 2, count, cols, inRegisters, 0, count);
        assertArrayEquals(expected, inRegisters, "through registers");
    }

    @ParameterizedTest(name = "S [{1}, {0}] packed as S^T")
    @CsvSource({"1,29", "37,157", "256,192", "300,250"})
    void packsTheTransposeAsThePackedMatrixDoes(int k, int n) {
        int lds = k + 4;
        float[] s = new float[5 + n * lds]; // S [n, k] from offset 5, B = S^T [k, n]
        for (int i = 0; i < s.length; i++) {
            s[i] = i * 0.75f - 11;
        }
        int width = VectorPackedGemm.STRIP_COLUMNS;
        PackedMatrix expected = PackedMatrix.ofTransposed(s, 5, lds, k, n, width);
        PackedMatrix dispatched = PackedMatrix.over(null, k, n, width);
        new VectorKernels().packStripsTransposed(dispatched, s, 5, lds, 0, dispatched.strips());
        assertArrayEquals(expected.data(), dispatched.data(), "through the kernels");
        assumeTrue(VectorTranspose.SIDE > 0, "the blocks through registers take vectors of 16 or 8 lanes");
        PackedMatrix inRegisters = PackedMatrix.over(null, k, n, width);
        // in two calls, as two threads would fill them
        VectorTranspose.packStrips(inRegisters, s, 5, lds, 0, 1, true);
        VectorTranspose.packStrips(inRegisters, s, 5, lds, 1, inRegisters.strips(), true);
        assertArrayEquals(expected.data(), inRegisters.data(), "through registers");
    }
}
