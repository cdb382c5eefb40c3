package dev.seq2seq.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.TestData;
import java.util.OptionalDouble;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The FLOP count behind {@code bench}'s "% of the FMA ceiling", and the ceiling itself. */
class ProductFlopsTest {

    @Test
    void everyProductCountsTwoMKNHoweverItIsSplit() {
        for (int threads : new int[] {1, 2, 3}) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                ParallelKernels kernels = new ParallelKernels(Backend.chooseSingleThreaded(), pool);
                long expected = 0;
                // Small (not split), split by columns, split by rows; plain, A transposed, B transposed, and
                // A transposed over listed rows.
                int[][] shapes = {{3, 5, 7}, {64, 300, 1024}, {257, 129, 65}};
                for (int[] shape : shapes) {
                    int m = shape[0];
                    int k = shape[1];
                    int n = shape[2];
                    float[] a = TestData.mixed(1, m * k);
                    float[] b = TestData.mixed(2, k * n);
                    float[] c = new float[m * n];
                    kernels.matmul(a, 0, b, 0, c, 0, m, k, n, false);
                    kernels.matmulTransA(a, 0, c, 0, new float[k * n], 0, k, m, n, true);
                    kernels.matmulTransB(c, 0, b, 0, new float[m * k], 0, m, n, k, true);
                    int[] everyOtherRow = IntStream.range(0, m).filter(i -> i % 2 == 0).toArray();
                    kernels.matmulTransARows(a, k, everyOtherRow, everyOtherRow.length, c, 0, n, new float[k * n], 0,
                            n, k, n);
                    expected += 3 * 2L * m * k * n + 2L * everyOtherRow.length * k * n;
                    kernels.add(a, 0, a, 0, a, 0, a.length); // not a product: not counted
                }
                assertEquals(expected, kernels.productFlops(), threads + " threads");
            }
        }
    }

    @Test
    void theCeilingIsMeasuredWhenTheVectorModuleIsThere() {
        OptionalDouble ceiling = FmaCeiling.measure(2, 30);
        assertEquals(Backend.vectorModuleReadable(), ceiling.isPresent());
        ceiling.ifPresent(flops -> assertTrue(flops > 1e8 && Double.isFinite(flops), "FLOP/s: " + flops));
    }
}
