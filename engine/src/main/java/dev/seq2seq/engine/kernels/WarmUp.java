package dev.seq2seq.engine.kernels;

/**
 * Runs every kernel a training step uses on small, odd shapes until the JIT has compiled them.
 *
 * <p>Before the JIT's optimising compiler has compiled a Vector API loop, every vector in it is an
 * object on the heap, and the loop runs tens of times slower; a long job would spend its first
 * seconds, at full size, in that state. Small calls reach the compiler's thresholds with little
 * work, and calls with every edge (rows and columns past the last full tile, both accumulate
 * flags, a transposed operand) compile each path before the real shapes need it. This takes as
 * long as the slow start it replaces: the point is that the cost is paid, and printed, once, before
 * the first epoch instead of hidden inside it. The arrays are the warm-up's own: no state changes.
 */
public final class WarmUp {
    /** Rounds over the kernel list: chosen by measuring 100 (not enough), 300 and 1000 (no better than 300). */
    static final int ROUNDS = 300;

    private WarmUp() {
    }

    /** Warms the kernels up and returns the seconds it took. */
    public static double run(Kernels k) {
        long began = System.nanoTime();
        int depth = 48;
        int[] rows = {1, 2, 6, 13, 40};
        int[] columns = {16 * 4 * 2 + 16 * 3 + 16 + 5, 16 * 4 * 3 + 32, 93};
        float[] a = new float[48 * depth];
        float[] b = new float[depth * 256];
        float[] c = new float[48 * 256];
        float[] x = new float[1024];
        float[] y = new float[1024];
        int[] ids = {3, 0, 7, 3};
        // of b read as [48, 256]: a masked weight gradient, 16 rows and more (whole blocks of A's copy)
        int[] realRows = {0, 1, 2, 3, 5, 8, 11, 13, 17, 21, 26, 30, 34, 38, 41, 44, 47};
        for (int round = 0; round < ROUNDS; round++) {
            boolean accumulate = (round & 1) == 0;
            for (int m : rows) {
                for (int n : columns) {
                    k.gemm(a, 0, depth, 1, b, 0, n, c, 0, n, m, depth, n, accumulate);
                }
            }
            k.gemm(a, 0, 1, 48, b, 0, 256, c, 0, 256, 48, depth, 256, true); // A transposed (weight gradients)
            k.gemmTransB(a, 0, depth, b, 0, depth, c, 0, 93, 40, depth, 93, accumulate);
            k.matmulTransARows(b, 256, realRows, realRows.length, b, 0, 256, c, 0, 160, 64, 160); // packed
            k.matmulTransARows(b, 256, realRows, realRows.length, b, 0, 256, c, 0, 93, 13, 93); // gathered
            k.sigmoid(x, 0, y, 0, 1000);
            k.tanh(x, 0, y, 0, 1000);
            k.exp(x, 0, y, 0, 1000);
            k.add(x, 0, y, 0, y, 0, 999);
            k.mul(x, 0, y, 0, y, 0, 999);
            k.mulAdd(x, 0, y, 0, y, 0, 999);
            k.axpy(0.5f, x, 0, y, 0, 999);
            k.scale(0.5f, x, 0, y, 0, 999);
            k.softmaxRows(x, 0, y, 0, 10, 93);
            k.logSoftmaxRows(x, 0, y, 0, 10, 93);
            k.sumRows(x, 0, y, 0, 10, 93, accumulate);
            k.gatherRows(b, 0, 16, ids, 0, ids.length, x, 0);
            k.scatterAddRows(x, 0, 16, ids, 0, ids.length, b, 0);
        }
        return (System.nanoTime() - began) / 1e9;
    }
}
