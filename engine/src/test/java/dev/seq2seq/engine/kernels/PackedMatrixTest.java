package dev.seq2seq.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The packed layout itself; the products over it are in {@link VectorVsScalarKernelsTest}. */
class PackedMatrixTest {

    @Test
    void everyElementIsWhereIndexSaysAndTheLastStripIsPaddedWithZeros() {
        int rows = 5;
        int columns = 11;
        int ldb = 13;
        float[] b = TestData.mixed(1, 2 + rows * ldb);
        PackedMatrix packed = PackedMatrix.of(b, 2, ldb, rows, columns, 4);
        assertEquals(3 * rows * 4, packed.data().length, "three strips of 4 columns");
        for (int p = 0; p < rows; p++) {
            for (int j = 0; j < columns; j++) {
                assertEquals(b[2 + p * ldb + j], packed.data()[packed.index(p, j)], "element (" + p + ", " + j + ")");
            }
            // strip 2 holds columns 8, 9, 10 and one column of padding
            assertEquals(0f, packed.data()[(2 * rows + p) * 4 + 3], "padding of row " + p);
        }
    }

    @Test
    void aViewOfWholeStripsSeesItsColumnsAndRefusesToCutAStrip() {
        int rows = 3;
        int columns = 11;
        float[] b = TestData.mixed(4, rows * columns);
        PackedMatrix packed = PackedMatrix.of(b, 0, columns, rows, columns, 4);
        PackedMatrix tail = packed.columns(4, 11);
        assertEquals(7, tail.columns());
        for (int p = 0; p < rows; p++) {
            for (int j = 0; j < 7; j++) {
                assertEquals(b[p * columns + 4 + j], tail.data()[tail.index(p, j)], "element (" + p + ", " + j + ")");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> packed.columns(2, 8));
        assertThrows(IllegalArgumentException.class, () -> packed.columns(4, 12));
    }

    @Test
    void theReferenceReadsAnyStripWidthAsItsOwnGemm() {
        Kernels reference = new ScalarKernels();
        int m = 3;
        int k = 7;
        int n = 10;
        float[] a = TestData.mixed(2, m * k);
        float[] b = TestData.mixed(3, k * n);
        float[] expected = new float[m * n];
        reference.gemm(a, 0, k, 1, b, 0, n, expected, 0, n, m, k, n, false);
        for (int width : new int[] {1, 3, 4, 10, 16}) {
            float[] actual = new float[m * n];
            reference.matmulPacked(a, 0, k, PackedMatrix.of(b, 0, n, k, n, width), actual, 0, n, m, false);
            assertArrayEquals(expected, actual, "strips " + width + " wide");
        }
    }

    @Test
    void aMatrixPackedForOtherKernelsIsRefusedByName() {
        Kernels kernels = Backend.chooseSingleThreaded();
        float[] b = new float[6 * 40];
        int foreignWidth = kernels.pack(b, 0, 40, 6, 40).stripWidth() + 1;
        PackedMatrix foreign = PackedMatrix.of(b, 0, 40, 6, 40, foreignWidth);
        if (kernels instanceof ScalarKernels) {
            return; // the reference reads any width
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kernels.matmulPacked(new float[6], 0, 6, foreign, new float[40], 0, 40, 1, false));
        assertTrue(e.getMessage().contains("strips " + foreignWidth + " wide"), e.getMessage());
    }

    /** k over one band of rows and over several, the last one partial (300 = 256 + 44). */
    @ParameterizedTest(name = "k = {0}")
    @ValueSource(ints = {37, 300, 600})
    void packingFromTheTransposeGivesWhatPackingATransposedCopyGives(int k) {
        for (int n : new int[] {29, 157}) { // a padded last strip on every backend, alone and after whole ones
            packingFromTheTransposeGivesWhatPackingATransposedCopyGives(k, n);
        }
    }

    private static void packingFromTheTransposeGivesWhatPackingATransposedCopyGives(int k, int n) {
        int lds = k + 4;
        float[] s = TestData.mixed(6, 5 + n * lds); // S [n, k], B = S^T [k, n]
        float[] transposed = new float[k * n];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                transposed[p * n + j] = s[5 + j * lds + p];
            }
        }
        for (Kernels kernels : new Kernels[] {new ScalarKernels(), Backend.chooseSingleThreaded()}) {
            PackedMatrix expected = kernels.pack(transposed, 0, n, k, n);
            PackedMatrix actual = kernels.packTransposed(s, 5, lds, k, n);
            assertEquals(expected.stripWidth(), actual.stripWidth(), kernels.name());
            assertEquals(k, actual.rows(), kernels.name());
            assertEquals(n, actual.columns(), kernels.name());
            assertArrayEquals(expected.data(), actual.data(), kernels.name());
        }
        assertThrows(IllegalArgumentException.class, () -> PackedMatrix.ofTransposed(s, 0, lds, -1, n, 4));
    }

    @Test
    void packingIntoAnArrayGivenBackGivesTheElementsOfAFreshPacking() {
        // 300 x 250: large enough for the pool's kernels to split the strips between two threads;
        // 37 x 29 is not. Both leave a padded last strip on every backend.
        for (int[] shape : new int[][] {{37, 29}, {300, 250}}) {
            int k = shape[0];
            int n = shape[1];
            float[] b = TestData.mixed(7, 3 + k * n);
            float[] s = TestData.mixed(8, 3 + n * k); // S [n, k], B = S^T
            try (WorkerPool two = new WorkerPool(2)) {
                for (Kernels kernels : new Kernels[] {new ScalarKernels(), Backend.chooseSingleThreaded(),
                        new ParallelKernels(Backend.chooseSingleThreaded(), two)}) {
                    String where = kernels.name() + (kernels instanceof ParallelKernels ? " on 2 threads" : "")
                            + ", [" + k + ", " + n + "]";
                    int size = PackedMatrix.size(k, n, kernels.packedStripWidth(n));
                    float[] storage = new float[size + 5];
                    java.util.Arrays.fill(storage, Float.NaN);
                    PackedMatrix fresh = PackedMatrix.of(b, 3, n, k, n, kernels.packedStripWidth(n));
                    PackedMatrix recycled = kernels.pack(b, 3, n, k, n, storage);
                    assertSame(storage, recycled.data(), where);
                    assertArrayEquals(fresh.data(), java.util.Arrays.copyOf(recycled.data(), size), where);
                    PackedMatrix freshTransposed = PackedMatrix.ofTransposed(s, 3, k, k, n,
                            kernels.packedStripWidth(n));
                    java.util.Arrays.fill(storage, Float.NaN);
                    PackedMatrix recycledTransposed = kernels.packTransposed(s, 3, k, k, n, storage);
                    assertArrayEquals(freshTransposed.data(), java.util.Arrays.copyOf(recycledTransposed.data(), size),
                            where + ", transposed");
                }
            }
        }
    }

    @Test
    void anArrayTooShortToHoldThePackingIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PackedMatrix.over(new float[4 * 8 - 1], 4, 6, 8));
        assertTrue(e.getMessage().contains("31 floats") && e.getMessage().contains("[4, 6]"), e.getMessage());
    }

    @Test
    void aNegativeShapeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PackedMatrix.of(new float[4], 0, 2, -1, 2, 4));
        assertThrows(IllegalArgumentException.class, () -> PackedMatrix.of(new float[4], 0, 2, 2, 2, 0));
    }
}
