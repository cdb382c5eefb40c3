package dev.seq2seq.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.seq2seq.engine.TestData;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * An elementwise or row op too small to share out runs whole on the calling thread, handing its
 * arguments to the inner kernels directly rather than through the lambda that would share it
 * (see {@code ParallelKernels.alone}). Every such op, at odd offsets and sizes, must leave every
 * array exactly as the inner kernels leave it: an offset dropped or a count mistaken on the
 * direct path shows up here.
 */
class SmallOpsTest {
    private static final int N = 37;
    private static final int ROWS = 5;
    private static final int COLS = 19;

    /** Runs {@code op} on copies of {@code arrays} with each kernels, and compares every array after. */
    private static void sameAsInner(String name, BiConsumer<Kernels, float[][]> op, float[]... arrays) {
        Kernels inner = Backend.chooseSingleThreaded();
        try (WorkerPool two = new WorkerPool(2)) {
            ParallelKernels parallel = new ParallelKernels(inner, two);
            float[][] expected = copies(arrays);
            float[][] actual = copies(arrays);
            op.accept(inner, expected);
            op.accept(parallel, actual);
            for (int i = 0; i < arrays.length; i++) {
                assertArrayEquals(expected[i], actual[i], name + ": array " + i);
            }
        }
    }

    private static float[][] copies(float[][] arrays) {
        float[][] copies = new float[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            copies[i] = arrays[i].clone();
        }
        return copies;
    }

    private static float[] data(long seed) {
        return TestData.mixed(seed, N + 16);
    }

    @Test
    void elementwiseOpsGiveWhatTheInnerKernelsGive() {
        sameAsInner("add", (k, a) -> k.add(a[0], 3, a[1], 5, a[2], 7, N), data(1), data(2), data(3));
        sameAsInner("sub", (k, a) -> k.sub(a[0], 3, a[1], 5, a[2], 7, N), data(1), data(2), data(3));
        sameAsInner("mul", (k, a) -> k.mul(a[0], 3, a[1], 5, a[2], 7, N), data(1), data(2), data(3));
        sameAsInner("mulAdd", (k, a) -> k.mulAdd(a[0], 3, a[1], 5, a[2], 7, N), data(1), data(2), data(3));
        sameAsInner("axpy", (k, a) -> k.axpy(0.75f, a[0], 3, a[1], 5, N), data(1), data(2));
        sameAsInner("scale", (k, a) -> k.scale(-1.5f, a[0], 3, a[1], 5, N), data(1), data(2));
        sameAsInner("sigmoid", (k, a) -> k.sigmoid(a[0], 3, a[1], 5, N), data(1), data(2));
        sameAsInner("tanh", (k, a) -> k.tanh(a[0], 3, a[1], 5, N), data(1), data(2));
        sameAsInner("exp", (k, a) -> k.exp(a[0], 3, a[1], 5, N), data(1), data(2));
        sameAsInner("movingAverage", (k, a) -> k.movingAverage(a[0], 3, a[1], 5, N, 0.1f), data(1), data(2));
        float[] squares = TestData.uniform(4, N + 16, 1f);
        for (int i = 0; i < squares.length; i++) {
            squares[i] = Math.abs(squares[i]);
        }
        sameAsInner("rmspropUpdate", (k, a) -> k.rmspropUpdate(a[0], 3, a[1], 5, a[2], 7, N, 0.5f, 0.001f, 0.9f,
                1e-7f), data(1), data(2), squares);
        sameAsInner("adamUpdate", (k, a) -> k.adamUpdate(a[0], 3, a[1], 5, a[2], a[3], 7, N, 0.5f, 0.001f, 0.9f,
                0.999f, 0.3f, 1e-7f), data(1), data(2), data(3), squares);
    }

    @Test
    void rowOpsGiveWhatTheInnerKernelsGive() {
        float[] matrix = TestData.mixed(5, 3 + ROWS * COLS);
        float[] out = TestData.mixed(6, 5 + ROWS * COLS);
        float[] bias = TestData.mixed(7, 2 + COLS);
        sameAsInner("softmaxRows", (k, a) -> k.softmaxRows(a[0], 3, a[1], 5, ROWS, COLS), matrix, out);
        sameAsInner("logSoftmaxRows", (k, a) -> k.logSoftmaxRows(a[0], 3, a[1], 5, ROWS, COLS), matrix, out);
        sameAsInner("addToRows", (k, a) -> k.addToRows(a[0], 3, a[1], 2, a[2], 5, ROWS, COLS), matrix, bias, out);
        sameAsInner("sumColumns", (k, a) -> k.sumColumns(a[0], 3, a[1], 5, ROWS, COLS, true), matrix, out);
        float[] table = TestData.mixed(8, 1 + 6 * COLS);
        int[] ids = {4, 0, 5, 2, 2, 1, 3};
        sameAsInner("gatherRows", (k, a) -> k.gatherRows(a[0], 1, COLS, ids, 2, ROWS, a[1], 5), table, out);
        sameAsInner("gatherRowsPlus", (k, a) -> k.gatherRowsPlus(a[0], 1, COLS, ids, 2, ROWS, a[1], 2, a[2], 5),
                table, bias, out);
    }
}
