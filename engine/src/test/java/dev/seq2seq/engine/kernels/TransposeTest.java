package dev.seq2seq.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The blocked transposition against the definition, the one cut into bands per thread against it,
 * and the one of listed rows.
 */
class TransposeTest {
    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({"1,1", "3,17", "17,3", "16,16", "33,65", "300,257", "1024,256", "257,1024"})
    void transposesAtOddSizesAndOffsets(int rows, int cols) {
        // src [rows, cols] inside rows of cols + 3 from offset 2; dst from offset 5
        int lds = cols + 3;
        float[] src = new float[2 + rows * lds];
        for (int i = 0; i < src.length; i++) {
            src[i] = i * 0.5f - 7;
        }
        float[] expected = new float[5 + rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                expected[5 + c * rows + r] = src[2 + r * lds + c];
            }
        }
        float[] blocked = new float[expected.length];
        Transpose.blocked(src, 2, lds, rows, cols, blocked, 5);
        assertArrayEquals(expected, blocked, "blocked");
        for (int threads : new int[] {1, 2, 3}) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                float[] split = new float[expected.length];
                new ParallelKernels(Backend.chooseSingleThreaded(), pool).transpose(src, 2, lds, rows, cols, split, 5);
                assertArrayEquals(expected, split, threads + " threads");
            }
        }
        assertEquals(0f, blocked[0], "nothing written before dstOff");
    }

    @ParameterizedTest(name = "{1} of {0} rows x {2}")
    @CsvSource({"1,1,1", "5,3,17", "40,20,3", "300,170,65", "600,300,256"})
    void transposesTheListedRows(int rows, int listed, int cols) {
        int lds = cols + 2;
        float[] src = new float[rows * lds];
        for (int i = 0; i < src.length; i++) {
            src[i] = i * 0.25f + 1;
        }
        // rows listed from the second entry on: every other one, backwards from the last
        int[] order = new int[listed + 1];
        for (int q = 0; q < listed; q++) {
            order[q + 1] = rows - 1 - (2 * q) % rows;
        }
        float[] expected = new float[cols * listed];
        for (int q = 0; q < listed; q++) {
            for (int c = 0; c < cols; c++) {
                expected[c * listed + q] = src[order[q + 1] * lds + c];
            }
        }
        float[] actual = new float[expected.length];
        Transpose.blockedRows(src, lds, order, 1, listed, cols, actual);
        assertArrayEquals(expected, actual);
    }
}
