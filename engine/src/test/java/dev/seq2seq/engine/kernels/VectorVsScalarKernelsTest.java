package dev.seq2seq.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.seq2seq.engine.TestData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel of the chosen backend (single-threaded, and wrapped for several threads) against
 * the scalar reference, on deliberately odd sizes so that every vector tail and tile edge runs.
 *
 * <p>Tolerances: a product or sum of k terms may differ from the reference by the rounding of k
 * additions, so the bound is 2 k u sum|terms| with u = 2^-24 (it grows with the reduction length);
 * elementwise functions may differ by a few units in the last place.
 */
class VectorVsScalarKernelsTest {
    static final int[] SIZES = {1, 2, 3, 7, 15, 16, 17, 31, 33, 63, 65, 100, 257, 1023, 1025};
    static final double U = Math.ulp(1f) / 2;

    private static final Kernels REFERENCE = new ScalarKernels();
    private static final Kernels SINGLE = Backend.chooseSingleThreaded();
    private static final Kernels PARALLEL = new ParallelKernels(Backend.chooseSingleThreaded(), new WorkerPool(2));

    static Stream<Kernels> candidates() {
        return Stream.of(SINGLE, PARALLEL);
    }

    /** (m, k, n) shapes: each odd size along each axis, squares, and the gate shapes. */
    static Stream<Arguments> productShapes() {
        List<Arguments> shapes = new ArrayList<>();
        for (int s : SIZES) {
            shapes.add(Arguments.of(s, 7, 17));
            shapes.add(Arguments.of(3, s, 33));
            shapes.add(Arguments.of(5, 13, s));
            if (s <= 257) {
                shapes.add(Arguments.of(s, s, s));
            }
        }
        shapes.add(Arguments.of(64, 256, 1024));
        shapes.add(Arguments.of(1, 256, 1024));
        shapes.add(Arguments.of(130, 70, 93));
        // packed panels: rows past the last group of 4, k across two blocks, a strip and an edge
        shapes.add(Arguments.of(19, 300, 101));
        shapes.add(Arguments.of(33, 513, 50));
        // the packed path (48 rows or more) over more than two k blocks
        shapes.add(Arguments.of(50, 800, 37));
        // every mix of 6-row, 4-row and single-row tiles, over wide strips and the narrower edges
        for (int m = 1; m <= 14; m++) {
            shapes.add(Arguments.of(m, 9, 147));
        }
        return candidates().flatMap(kernels -> shapes.stream().map(s -> Arguments.of(kernels, s.get()[0], s.get()[1],
                s.get()[2])));
    }

    static Stream<Arguments> lengths() {
        return candidates().flatMap(kernels -> Stream.concat(
                Arrays.stream(SIZES).boxed(), Stream.of(4099, 70001)).map(n -> Arguments.of(kernels, n)));
    }

    static Stream<Arguments> matrices() {
        List<Arguments> cases = new ArrayList<>();
        for (int s : SIZES) {
            cases.add(Arguments.of(s, 93));
            cases.add(Arguments.of(3, s));
        }
        cases.add(Arguments.of(4096, 33));
        return candidates().flatMap(kernels -> cases.stream().map(c -> Arguments.of(kernels, c.get()[0], c.get()[1])));
    }

    // ---------------------------------------------------------------- products

    @ParameterizedTest(name = "{0} gemm {1}x{2}x{3}")
    @MethodSource("productShapes")
    void gemmMatchesReference(Kernels kernels, int m, int k, int n) {
        // A stored with padding (leading dimension k + 3) and B, C at offsets, to test strides too.
        int lda = k + 3;
        int ldb = n + 5;
        int ldc = n + 2;
        float[] a = TestData.mixed(1, 7 + m * lda);
        float[] b = TestData.mixed(2, 11 + k * ldb);
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] expected = TestData.mixed(3, 4 + m * ldc);
            float[] actual = expected.clone();
            REFERENCE.gemm(a, 7, lda, 1, b, 11, ldb, expected, 4, ldc, m, k, n, accumulate);
            kernels.gemm(a, 7, lda, 1, b, 11, ldb, actual, 4, ldc, m, k, n, accumulate);
            float[] before = TestData.mixed(3, 4 + m * ldc);
            assertProductClose("gemm", expected, actual, before, accumulate, m, n, ldc, 4,
                    (i, j) -> absDot(a, 7 + i * lda, 1, b, 11 + j, ldb, k), k);
        }
    }

    /**
     * A packed B gives the bits of the backend's own gemm on B itself (a recurrence packs its
     * kernel only when it has steps enough to pay, so both paths must agree), and the reference's
     * product within the bound.
     */
    @ParameterizedTest(name = "{0} matmulPacked {1}x{2}x{3}")
    @MethodSource("productShapes")
    void packedProductIsTheGemmOfB(Kernels kernels, int m, int k, int n) {
        int lda = k + 3;
        int ldb = n + 5;
        int ldc = n + 2;
        float[] a = TestData.mixed(1, 7 + m * lda);
        float[] b = TestData.mixed(2, 11 + k * ldb);
        PackedMatrix packed = kernels.pack(b, 11, ldb, k, n);
        assertEquals(k, packed.rows());
        assertEquals(n, packed.columns());
        PackedMatrix referencePacked = REFERENCE.pack(b, 11, ldb, k, n);
        assertTheGemmOfB("matmulPacked", kernels, m, k, n, a, b,
                (c, accumulate) -> kernels.matmulPacked(a, 7, lda, packed, c, 4, ldc, m, accumulate),
                (c, accumulate) -> REFERENCE.matmulPacked(a, 7, lda, referencePacked, c, 4, ldc, m, accumulate));
    }

    /** A product into C [m, n] from offset 4, rows n + 2 apart. */
    @FunctionalInterface
    private interface ProductInto {
        void run(float[] c, boolean accumulate);
    }

    /**
     * {@code laidOut}, a product by B in a layout of its own, gives the bits of the backend's gemm
     * on B itself and {@code reference}'s product within the bound, accumulating and not: A [m, k]
     * from offset 7 in rows k + 3 apart, B [k, n] from 11 in rows n + 5 apart.
     */
    private static void assertTheGemmOfB(String name, Kernels kernels, int m, int k, int n, float[] a, float[] b,
                                         ProductInto laidOut, ProductInto reference) {
        int lda = k + 3;
        int ldb = n + 5;
        int ldc = n + 2;
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] before = TestData.mixed(3, 4 + m * ldc);
            float[] fromB = before.clone();
            float[] fromLaidOut = before.clone();
            float[] expected = before.clone();
            kernels.gemm(a, 7, lda, 1, b, 11, ldb, fromB, 4, ldc, m, k, n, accumulate);
            laidOut.run(fromLaidOut, accumulate);
            assertArrayEquals(fromB, fromLaidOut, name + " " + m + "x" + k + "x" + n + " accumulate=" + accumulate);
            reference.run(expected, accumulate);
            assertProductClose(name, expected, fromLaidOut, before, accumulate, m, n, ldc, 4,
                    (i, j) -> absDot(a, 7 + i * lda, 1, b, 11 + j, ldb, k), k);
        }
    }

    /**
     * A few rows times B in the gemv layout give the bits of the backend's own gemm on B itself (a
     * decoding step must give the numbers of the layer's step), and the reference's product within
     * the bound; a GemvMatrix holds B's elements where index() says. One to five rows: the vector
     * kernel takes them two at a time, then one.
     */
    @ParameterizedTest(name = "{0} matmulGemv {1}x{2}x{3}")
    @MethodSource("gemvShapes")
    void gemvProductIsTheGemmOfB(Kernels kernels, int m, int k, int n) {
        int lda = k + 3;
        int ldb = n + 5;
        int ldc = n + 2;
        float[] a = TestData.mixed(1, 7 + m * lda);
        float[] b = TestData.mixed(2, 11 + k * ldb);
        GemvMatrix laidOut = kernels.packForGemv(b, 11, ldb, k, n);
        assertEquals(k, laidOut.rows());
        assertEquals(n, laidOut.columns());
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                assertEquals(b[11 + p * ldb + j], laidOut.data()[laidOut.index(p, j)], "B[" + p + ", " + j + "]");
            }
        }
        GemvMatrix referenceLaidOut = REFERENCE.packForGemv(b, 11, ldb, k, n);
        assertTheGemmOfB("matmulGemv", kernels, m, k, n, a, b,
                (c, accumulate) -> kernels.matmulGemv(a, 7, lda, m, laidOut, c, 4, ldc, accumulate),
                (c, accumulate) -> REFERENCE.matmulGemv(a, 7, lda, m, referenceLaidOut, c, 4, ldc, accumulate));
    }

    /** Odd k (bands of rows and a shorter last one), odd n (a padded last group of columns), odd m. */
    static Stream<Arguments> gemvShapes() {
        List<Arguments> shapes = new ArrayList<>();
        for (int m = 1; m <= 5; m++) {
            for (int s : SIZES) {
                shapes.add(Arguments.of(m, s, 33));
                shapes.add(Arguments.of(m, 9, s));
            }
            shapes.add(Arguments.of(m, 0, 20));
            shapes.add(Arguments.of(m, 256, 512));
            shapes.add(Arguments.of(m, 256, 93));
            shapes.add(Arguments.of(m, 24, 48));
            shapes.add(Arguments.of(m, 13, 130));
        }
        shapes.add(Arguments.of(8, 256, 384));
        return candidates().flatMap(kernels -> shapes.stream().map(s -> Arguments.of(kernels, s.get()[0], s.get()[1],
                s.get()[2])));
    }

    @ParameterizedTest(name = "{0} matmulTransA {1}x{2}x{3}")
    @MethodSource("productShapes")
    void matmulTransAMatchesReference(Kernels kernels, int m, int k, int n) {
        float[] a = TestData.mixed(4, k * m); // stored [k, m]
        float[] b = TestData.mixed(5, k * n);
        float[] expected = new float[m * n];
        float[] actual = new float[m * n];
        REFERENCE.matmulTransA(a, 0, b, 0, expected, 0, m, k, n, false);
        kernels.matmulTransA(a, 0, b, 0, actual, 0, m, k, n, false);
        assertProductClose("matmulTransA", expected, actual, null, false, m, n, n, 0,
                (i, j) -> absDot(a, i, m, b, j, n, k), k);
    }

    /**
     * A weight gradient over the listed rows (every third row left out, and the first and the last)
     * gives the bits of the backend's gemm over all rows when the rows left out have B zero, as a
     * padded position's gradient has; and the reference's product within the bound.
     */
    @ParameterizedTest(name = "{0} matmulTransARows {1}x{2}x{3}")
    @MethodSource("productShapes")
    void matmulTransARowsIsTheGemmWithoutTheZeroRows(Kernels kernels, int m, int k, int n) {
        int lda = m + 2; // A stored [k, m] with padding
        int ldb = n + 5;
        int ldc = n + 3;
        float[] a = TestData.mixed(9, k * lda);
        float[] b = TestData.mixed(10, 11 + k * ldb);
        int[] listed = new int[k];
        int count = 0;
        for (int p = 0; p < k; p++) {
            if (p % 3 == 1 || (k > 2 && (p == 0 || p == k - 1))) {
                Arrays.fill(b, 11 + p * ldb, 11 + p * ldb + n, 0f);
            } else {
                listed[count++] = p;
            }
        }
        int[] rows = Arrays.copyOf(listed, count);
        float[] before = TestData.mixed(12, 4 + m * ldc);
        float[] overAll = before.clone();
        float[] overListed = before.clone();
        float[] expected = before.clone();
        kernels.gemm(a, 0, 1, lda, b, 11, ldb, overAll, 4, ldc, m, k, n, true);
        kernels.matmulTransARows(a, lda, rows, count, b, 11, ldb, overListed, 4, ldc, m, n);
        assertArrayEquals(overAll, overListed, "matmulTransARows " + m + "x" + k + "x" + n + ", " + count + " rows");
        REFERENCE.matmulTransARows(a, lda, rows, count, b, 11, ldb, expected, 4, ldc, m, n);
        assertProductClose("matmulTransARows", expected, overListed, before, true, m, n, ldc, 4,
                (i, j) -> absDot(a, i, lda, b, 11 + j, ldb, k), k);
    }

    @ParameterizedTest(name = "{0} gemmTransB {1}x{2}x{3}")
    @MethodSource("productShapes")
    void gemmTransBMatchesReference(Kernels kernels, int m, int k, int n) {
        int lda = k + 1;
        int ldb = k + 2;
        int ldc = n + 3;
        float[] a = TestData.mixed(6, 2 + m * lda);
        float[] b = TestData.mixed(7, 3 + n * ldb); // stored [n, k]
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] before = TestData.mixed(8, 5 + m * ldc);
            float[] expected = before.clone();
            float[] actual = before.clone();
            REFERENCE.gemmTransB(a, 2, lda, b, 3, ldb, expected, 5, ldc, m, k, n, accumulate);
            kernels.gemmTransB(a, 2, lda, b, 3, ldb, actual, 5, ldc, m, k, n, accumulate);
            assertProductClose("gemmTransB", expected, actual, before, accumulate, m, n, ldc, 5,
                    (i, j) -> absDot(a, 2 + i * lda, 1, b, 3 + j * ldb, 1, k), k);
        }
    }

    private interface Magnitude {
        double of(int i, int j);
    }

    private static double absDot(float[] x, int xStart, int xStep, float[] y, int yStart, int yStep, int k) {
        double total = 0;
        for (int p = 0; p < k; p++) {
            total += Math.abs((double) x[xStart + p * xStep] * y[yStart + p * yStep]);
        }
        return total;
    }

    private static void assertProductClose(String op, float[] expected, float[] actual, float[] before,
                                           boolean accumulate, int m, int n, int ldc, int cOff,
                                           Magnitude magnitude, int k) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = cOff + i * ldc + j;
                double terms = magnitude.of(i, j) + (accumulate ? Math.abs(before[at]) : 0);
                double tolerance = 2 * (k + 1) * U * terms + Float.MIN_NORMAL;
                if (Math.abs(expected[at] - actual[at]) > tolerance) {
                    fail(op + " [" + m + "x" + k + "x" + n + "] accumulate=" + accumulate + ": C[" + i + "," + j
                            + "] = " + actual[at] + ", reference " + expected[at] + " (tolerance " + tolerance + ")");
                }
            }
        }
        // Outside the output block (padding columns, the prefix before the offset) nothing may change.
        for (int at = 0; at < expected.length; at++) {
            boolean inside = at >= cOff && (at - cOff) / ldc < m && (at - cOff) % ldc < n;
            if (!inside) {
                assertEquals(expected[at], actual[at], op + " wrote outside its output block at " + at);
            }
        }
    }

    // ---------------------------------------------------------------- elementwise

    private interface Unary {
        void apply(Kernels kernels, float[] x, int xOff, float[] out, int outOff, int n);
    }

    /** Tolerance of element i: {@code ulps} units in the last place of {@code scale[i]}. */
    private static void assertUnaryClose(String op, Kernels kernels, int n, Unary unary, float[] x, int ulps,
                                         float[] scale) {
        float[] expected = new float[n + 1];
        float[] actual = new float[n + 1];
        unary.apply(REFERENCE, x, 1, expected, 1, n);
        unary.apply(kernels, x, 1, actual, 1, n);
        for (int i = 0; i <= n; i++) {
            double tolerance = ulps * Math.ulp(scale == null ? expected[i] : scale[i]) + 1e-37;
            if (Math.abs(expected[i] - actual[i]) > tolerance) {
                fail(op + " n=" + n + " at " + i + " (x=" + (i == 0 ? "none" : x[i]) + "): " + actual[i] + ", reference "
                        + expected[i]);
            }
        }
    }

    private static void assertUnaryClose(String op, Kernels kernels, int n, Unary unary, float[] x, int ulps) {
        assertUnaryClose(op, kernels, n, unary, x, ulps, null);
    }

    @ParameterizedTest(name = "{0} elementwise n={1}")
    @MethodSource("lengths")
    void elementwiseMatchReference(Kernels kernels, int n) {
        float[] x = TestData.mixed(9, n + 1);
        float[] y = TestData.mixed(10, n + 1);
        float[] z = TestData.uniform(11, n + 1, 12f);
        assertUnaryClose("add", kernels, n, (kk, in, io, out, oo, len) -> kk.add(in, io, y, io, out, oo, len), x, 0);
        assertUnaryClose("sub", kernels, n, (kk, in, io, out, oo, len) -> kk.sub(in, io, y, io, out, oo, len), x, 0);
        assertUnaryClose("mul", kernels, n, (kk, in, io, out, oo, len) -> kk.mul(in, io, y, io, out, oo, len), x, 0);
        // A fused multiply-add rounds once where the reference rounds twice: when the sum cancels,
        // the difference is relative to the terms, not to the result.
        float[] mulAddTerms = new float[n + 1];
        float[] axpyTerms = new float[n + 1];
        for (int i = 0; i <= n; i++) {
            mulAddTerms[i] = Math.abs(x[i] * y[i]) + Math.abs(z[i]);
            axpyTerms[i] = Math.abs(0.37f * x[i]) + Math.abs(y[i]);
        }
        assertUnaryClose("mulAdd", kernels, n, (kk, in, io, out, oo, len) -> {
            System.arraycopy(z, 0, out, 0, out.length);
            kk.mulAdd(in, io, y, io, out, oo, len);
        }, x, 2, mulAddTerms);
        assertUnaryClose("axpy", kernels, n, (kk, in, io, out, oo, len) -> {
            System.arraycopy(y, 0, out, 0, out.length);
            kk.axpy(-0.37f, in, io, out, oo, len);
        }, x, 2, axpyTerms);
        assertUnaryClose("scale", kernels, n, (kk, in, io, out, oo, len) -> kk.scale(1.7f, in, io, out, oo, len), x, 0);
        assertUnaryClose("sigmoid", kernels, n, Kernels::sigmoid, z, 4);
        assertUnaryClose("tanh", kernels, n, Kernels::tanh, z, 4);
        assertUnaryClose("exp", kernels, n, Kernels::exp, z, 4);
    }

    @ParameterizedTest(name = "{0} rmspropUpdate n={1}")
    @MethodSource("lengths")
    void rmspropUpdateGivesTheReferenceBits(Kernels kernels, int n) {
        // offsets 3 (weights), 5 (gradients) and 1 (averages): no range starts on a vector boundary
        float[] gradient = TestData.mixed(13, n + 5);
        float[] expectedW = TestData.mixed(14, n + 3);
        float[] expectedV = TestData.uniform(15, n + 1, 0.01f);
        for (int i = 0; i < expectedV.length; i++) {
            expectedV[i] = Math.abs(expectedV[i]); // running averages of squares
        }
        float[] actualW = expectedW.clone();
        float[] actualV = expectedV.clone();
        for (int step = 0; step < 3; step++) { // the averages of one update feed the next
            REFERENCE.rmspropUpdate(expectedW, 3, gradient, 5, expectedV, 1, n, 0.75f, 0.001f, 0.9f, 1e-7f);
            kernels.rmspropUpdate(actualW, 3, gradient, 5, actualV, 1, n, 0.75f, 0.001f, 0.9f, 1e-7f);
        }
        assertArrayEquals(expectedV, actualV, "averages, n=" + n);
        assertArrayEquals(expectedW, actualW, "weights, n=" + n);
    }

    @ParameterizedTest(name = "{0} adamUpdate n={1}")
    @MethodSource("lengths")
    void adamUpdateGivesTheReferenceBits(Kernels kernels, int n) {
        // offsets 3 (weights), 5 (gradients) and 1 (moments): no range starts on a vector boundary
        float[] gradient = TestData.mixed(16, n + 5);
        float[] expectedW = TestData.mixed(17, n + 3);
        float[] expectedM = TestData.uniform(18, n + 1, 0.01f);
        float[] expectedV = TestData.uniform(19, n + 1, 0.01f);
        for (int i = 0; i < expectedV.length; i++) {
            expectedV[i] = Math.abs(expectedV[i]); // running averages of squares
        }
        float[] actualW = expectedW.clone();
        float[] actualM = expectedM.clone();
        float[] actualV = expectedV.clone();
        for (int step = 1; step <= 3; step++) { // the moments of one update feed the next
            float stepSize = (float) (0.001 / (1 - Math.pow(0.9, step)));
            float correction2Sqrt = (float) Math.sqrt(1 - Math.pow(0.999, step));
            REFERENCE.adamUpdate(expectedW, 3, gradient, 5, expectedM, expectedV, 1, n, 0.75f, stepSize, 0.9f, 0.999f,
                    correction2Sqrt, 1e-8f);
            kernels.adamUpdate(actualW, 3, gradient, 5, actualM, actualV, 1, n, 0.75f, stepSize, 0.9f, 0.999f,
                    correction2Sqrt, 1e-8f);
        }
        assertArrayEquals(expectedM, actualM, "first moments, n=" + n);
        assertArrayEquals(expectedV, actualV, "second moments, n=" + n);
        assertArrayEquals(expectedW, actualW, "weights, n=" + n);
    }

    @ParameterizedTest(name = "{0} rowTimesBf16Matrix k={1} n={2}")
    @MethodSource("bf16Shapes")
    void rowTimesBf16MatrixGivesTheReferenceBits(Kernels kernels, int k, int n) {
        // B [k, n] inside rows of n + 2 floats from offset 3, paired, placed from offset 5 of b;
        // a from offset 1, c from offset 2
        int ldb = n + 2;
        float[] weights = TestData.mixed(41, 3 + k * ldb);
        int[] pairs = Bf16.pairs(weights, 3, ldb, k, n, n);
        int[] b = new int[5 + pairs.length];
        System.arraycopy(pairs, 0, b, 5, pairs.length);
        float[] a = TestData.mixed(42, k + 1);
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] expected = TestData.mixed(43, n + 2);
            float[] actual = expected.clone();
            REFERENCE.rowTimesBf16Matrix(a, 1, b, 5, expected, 2, k, n, accumulate);
            kernels.rowTimesBf16Matrix(a, 1, b, 5, actual, 2, k, n, accumulate);
            assertArrayEquals(expected, actual, "k=" + k + ", n=" + n + ", accumulate " + accumulate);
            if (kernels.name().startsWith("vector")) {
                // The vector float32 products also sum one FMA per p in order, so over the widened
                // weights they give the same bits: bf16 weights change the weights, not the
                // arithmetic. (The scalar backend's float32 products round a * b before adding.)
                float[] widened = new float[weights.length];
                for (int i = 0; i < weights.length; i++) {
                    widened[i] = Bf16.widen(Bf16.round(weights[i]));
                }
                float[] overFloats = TestData.mixed(43, n + 2);
                kernels.gemm(a, 1, k, 1, widened, 3, ldb, overFloats, 2, n, 1, k, n, accumulate);
                assertArrayEquals(overFloats, actual, "the float32 product over the widened weights, k=" + k
                        + ", n=" + n + ", accumulate " + accumulate);
            }
        }
    }

    static Stream<Arguments> bf16Shapes() {
        List<Arguments> shapes = new ArrayList<>();
        for (int s : SIZES) {
            shapes.add(Arguments.of(s, 33));
            shapes.add(Arguments.of(9, s));
        }
        shapes.add(Arguments.of(256, 512));
        shapes.add(Arguments.of(256, 93));
        shapes.add(Arguments.of(256, 96));
        shapes.add(Arguments.of(17, 64));
        // k a whole number of the vector kernel's passes (6 rows), and a pass and two rows over
        shapes.add(Arguments.of(6, 40));
        shapes.add(Arguments.of(12, 71));
        shapes.add(Arguments.of(8, 33));
        return candidates().flatMap(kernels -> shapes.stream().map(s -> Arguments.of(kernels, s.get()[0], s.get()[1])));
    }

    @ParameterizedTest(name = "{0} movingAverage n={1}")
    @MethodSource("lengths")
    void movingAverageGivesTheReferenceBits(Kernels kernels, int n) {
        // offsets 3 (averages) and 5 (values): no range starts on a vector boundary
        float[] values = TestData.mixed(31, n + 5);
        float[] expected = TestData.mixed(32, n + 3);
        float[] actual = expected.clone();
        for (float rate : new float[] {0.1f, 0.001f, 1f / 3}) { // each step's averages feed the next
            REFERENCE.movingAverage(expected, 3, values, 5, n, rate);
            kernels.movingAverage(actual, 3, values, 5, n, rate);
        }
        assertArrayEquals(expected, actual, "averages, n=" + n);
    }

    /** An LSTM row's activations from offset 3: in (0, 1) for the sigmoid gates i, f, o and (-1, 1) for g. */
    private static float[] lstmActivations(long seed, int units) {
        float[] act = TestData.uniform(seed, 4 * units + 3, 1f);
        for (int j = 0; j < 4 * units + 3; j++) {
            boolean candidate = j >= 3 + 2 * units && j < 3 + 3 * units;
            act[j] = candidate ? act[j] : Math.abs(act[j]);
        }
        return act;
    }

    /** A GRU row's activations from offset 1: z and r are sigmoids, in (0, 1); n a tanh, in (-1, 1). */
    private static float[] gruActivations(long seed, int units) {
        float[] act = TestData.uniform(seed, 3 * units + 1, 1f);
        for (int j = 1; j < 1 + 2 * units; j++) {
            act[j] = Math.abs(act[j]);
        }
        return act;
    }

    @ParameterizedTest(name = "{0} lstmBackwardRow units={1}")
    @MethodSource("lengths")
    void lstmBackwardRowGivesTheReferenceBits(Kernels kernels, int units) {
        float[] act = lstmActivations(21, units); // odd offsets everywhere
        float[] cPrev = TestData.mixed(22, units + 1);
        float[] tanhC = TestData.uniform(23, units + 2, 1f);
        float[] dh = TestData.mixed(24, units + 5);
        float[] dc = TestData.mixed(25, units + 7);
        float[] expectedDz = new float[4 * units + 1];
        float[] expectedDcPrev = new float[units + 2];
        float[] actualDz = new float[4 * units + 1];
        float[] actualDcPrev = new float[units + 2];
        REFERENCE.lstmBackwardRow(units, act, 3, cPrev, 1, tanhC, 2, dh, 5, dc, 7, expectedDz, 1, expectedDcPrev, 2);
        kernels.lstmBackwardRow(units, act, 3, cPrev, 1, tanhC, 2, dh, 5, dc, 7, actualDz, 1, actualDcPrev, 2);
        assertArrayEquals(expectedDz, actualDz, "dz, units=" + units);
        assertArrayEquals(expectedDcPrev, actualDcPrev, "dc_prev, units=" + units);
    }

    @ParameterizedTest(name = "{0} lstmBackwardRow in place units={1}")
    @MethodSource("lengths")
    void lstmBackwardRowInPlaceGivesTheReferenceBits(Kernels kernels, int units) {
        // dz written over act at the same offset, as the recurrence does, against the reference
        // writing into an array of its own
        float[] act = lstmActivations(26, units);
        float[] cPrev = TestData.mixed(27, units + 1);
        float[] tanhC = TestData.uniform(28, units + 2, 1f);
        float[] dh = TestData.mixed(29, units + 5);
        float[] dc = TestData.mixed(30, units + 7);
        float[] expectedDz = act.clone();
        float[] expectedDcPrev = new float[units + 2];
        float[] actualDcPrev = new float[units + 2];
        REFERENCE.lstmBackwardRow(units, act, 3, cPrev, 1, tanhC, 2, dh, 5, dc, 7, expectedDz, 3, expectedDcPrev, 2);
        kernels.lstmBackwardRow(units, act, 3, cPrev, 1, tanhC, 2, dh, 5, dc, 7, act, 3, actualDcPrev, 2);
        assertArrayEquals(expectedDz, act, "dz over act, units=" + units);
        assertArrayEquals(expectedDcPrev, actualDcPrev, "dc_prev, units=" + units);
    }

    @ParameterizedTest(name = "{0} gruBackwardRow units={1}")
    @MethodSource("lengths")
    void gruBackwardRowGivesTheReferenceBits(Kernels kernels, int units) {
        float[] act = gruActivations(31, units);
        float[] hz = TestData.mixed(32, 3 * units + 2);
        float[] hPrev = TestData.uniform(33, units + 3, 1f);
        float[] dh = TestData.mixed(34, units + 1);
        float[] expectedDxz = new float[3 * units + 2];
        float[] expectedDhz = new float[3 * units + 3];
        float[] expectedDhPrev = new float[units + 1];
        float[] actualDxz = new float[3 * units + 2];
        float[] actualDhz = new float[3 * units + 3];
        float[] actualDhPrev = new float[units + 1];
        REFERENCE.gruBackwardRow(units, act, 1, hz, 2, hPrev, 3, dh, 1, expectedDxz, 2, expectedDhz, 3,
                expectedDhPrev, 1);
        kernels.gruBackwardRow(units, act, 1, hz, 2, hPrev, 3, dh, 1, actualDxz, 2, actualDhz, 3, actualDhPrev, 1);
        assertArrayEquals(expectedDxz, actualDxz, "d xz, units=" + units);
        assertArrayEquals(expectedDhz, actualDhz, "d hz, units=" + units);
        assertArrayEquals(expectedDhPrev, actualDhPrev, "dh_prev, units=" + units);
    }

    @ParameterizedTest(name = "{0} gruBackwardRow in place units={1}")
    @MethodSource("lengths")
    void gruBackwardRowInPlaceGivesTheReferenceBits(Kernels kernels, int units) {
        // dxz written over act and dhz over hz, at the same offsets, as the recurrence does
        float[] act = gruActivations(35, units);
        float[] hz = TestData.mixed(36, 3 * units + 2);
        float[] hPrev = TestData.uniform(37, units + 3, 1f);
        float[] dh = TestData.mixed(38, units + 1);
        float[] expectedDxz = act.clone();
        float[] expectedDhz = hz.clone();
        float[] expectedDhPrev = new float[units + 1];
        float[] actualDhPrev = new float[units + 1];
        REFERENCE.gruBackwardRow(units, act, 1, hz, 2, hPrev, 3, dh, 1, expectedDxz, 1, expectedDhz, 2,
                expectedDhPrev, 1);
        kernels.gruBackwardRow(units, act, 1, hz, 2, hPrev, 3, dh, 1, act, 1, hz, 2, actualDhPrev, 1);
        assertArrayEquals(expectedDxz, act, "d xz over act, units=" + units);
        assertArrayEquals(expectedDhz, hz, "d hz over hz, units=" + units);
        assertArrayEquals(expectedDhPrev, actualDhPrev, "dh_prev, units=" + units);
    }

    @ParameterizedTest(name = "{0} sum n={1}")
    @MethodSource("lengths")
    void sumMatchesReference(Kernels kernels, int n) {
        float[] x = TestData.mixed(12, n + 3);
        double magnitude = 0;
        for (int i = 3; i < n + 3; i++) {
            magnitude += Math.abs(x[i]);
        }
        float expected = REFERENCE.sum(x, 3, n);
        float actual = kernels.sum(x, 3, n);
        assertEquals(expected, actual, 2 * n * U * magnitude, "sum n=" + n);
    }

    // ---------------------------------------------------------------- rows

    @ParameterizedTest(name = "{0} rows {1}x{2}")
    @MethodSource("matrices")
    void rowKernelsMatchReference(Kernels kernels, int rows, int cols) {
        float[] x = TestData.uniform(13, 2 + rows * cols, 8f);
        int size = rows * cols;
        float[] expected = new float[size];
        float[] actual = new float[size];

        REFERENCE.softmaxRows(x, 2, expected, 0, rows, cols);
        kernels.softmaxRows(x, 2, actual, 0, rows, cols);
        assertAllClose("softmaxRows", expected, actual, 4 * (cols + 2) * U);

        REFERENCE.logSoftmaxRows(x, 2, expected, 0, rows, cols);
        kernels.logSoftmaxRows(x, 2, actual, 0, rows, cols);
        assertAllClose("logSoftmaxRows", expected, actual, 4 * (cols + 2) * U * 16);

        for (int r = 0; r < rows; r++) {
            // against the definition in double: each exp within a few float ulps, the float sum
            // within (cols + 2) ulps of the max's share, the log's error added in
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[2 + r * cols + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(x[2 + r * cols + j] - max);
            }
            double definition = max + Math.log(sum);
            assertEquals(definition, kernels.logSumExp(x, 2 + r * cols, cols), 4 * (cols + 2) * U + 1e-12,
                    "logSumExp row " + r);
            assertEquals(REFERENCE.logSumExp(x, 2 + r * cols, cols), kernels.logSumExp(x, 2 + r * cols, cols),
                    8 * (cols + 2) * U, "logSumExp against the scalar kernels, row " + r);
        }

        float[] sumsExpected = TestData.uniform(14, cols, 1f);
        float[] sumsActual = sumsExpected.clone();
        REFERENCE.sumRows(x, 2, sumsExpected, 0, rows, cols, true);
        kernels.sumRows(x, 2, sumsActual, 0, rows, cols, true);
        assertAllClose("sumRows", sumsExpected, sumsActual, 2 * (rows + 1) * U * 8 * (rows + 1));

        float[] rowSumsExpected = new float[rows];
        float[] rowSumsActual = new float[rows];
        REFERENCE.sumColumns(x, 2, rowSumsExpected, 0, rows, cols, false);
        kernels.sumColumns(x, 2, rowSumsActual, 0, rows, cols, false);
        assertAllClose("sumColumns", rowSumsExpected, rowSumsActual, 2 * cols * U * 8 * cols);

        int vocabulary = 11;
        float[] table = TestData.mixed(15, 1 + vocabulary * cols);
        int[] ids = new int[rows];
        for (int r = 0; r < rows; r++) {
            ids[r] = (r * 7 + 3) % vocabulary;
        }
        float[] gatheredExpected = new float[size];
        float[] gatheredActual = new float[size];
        REFERENCE.gatherRows(table, 1, cols, ids, 0, rows, gatheredExpected, 0);
        kernels.gatherRows(table, 1, cols, ids, 0, rows, gatheredActual, 0);
        assertAllClose("gatherRows", gatheredExpected, gatheredActual, 0);

        float[] scatteredExpected = table.clone();
        float[] scatteredActual = table.clone();
        REFERENCE.scatterAddRows(x, 2, cols, ids, 0, rows, scatteredExpected, 1);
        kernels.scatterAddRows(x, 2, cols, ids, 0, rows, scatteredActual, 1);
        assertAllClose("scatterAddRows", scatteredExpected, scatteredActual, 0);

        // the lookup and its bias in one pass: the reference's lookup, then its bias added
        float[] bias = TestData.mixed(16, cols + 3);
        float[] projectedExpected = new float[size];
        float[] projectedActual = new float[size];
        REFERENCE.gatherRows(table, 1, cols, ids, 0, rows, projectedExpected, 0);
        REFERENCE.addToRows(projectedExpected, 0, bias, 3, projectedExpected, 0, rows, cols);
        kernels.gatherRowsPlus(table, 1, cols, ids, 0, rows, bias, 3, projectedActual, 0);
        assertAllClose("gatherRowsPlus", projectedExpected, projectedActual, 0);
    }

    /**
     * Large scatters, many rows onto each table row: each element must get its additions in row
     * order, as the reference adds them, for the same bits (a split that changed the order, as one
     * by columns in reverse row order did when tried, shows in the last places).
     */
    @ParameterizedTest(name = "{0} scatterAddRows {1}x{2}")
    @MethodSource("scatterShapes")
    void scatterAddRowsKeepsTheRowOrder(Kernels kernels, int rows, int cols) {
        int vocabulary = 13;
        float[] src = TestData.mixed(17, 2 + rows * cols);
        int[] ids = new int[rows + 1];
        for (int r = 0; r < ids.length; r++) {
            ids[r] = (r * 5 + 2) % vocabulary;
        }
        float[] expected = TestData.mixed(18, 3 + vocabulary * cols);
        float[] actual = expected.clone();
        REFERENCE.scatterAddRows(src, 2, cols, ids, 1, rows, expected, 3);
        kernels.scatterAddRows(src, 2, cols, ids, 1, rows, actual, 3);
        assertArrayEquals(expected, actual, "scatterAddRows " + rows + "x" + cols);
    }

    static Stream<Arguments> scatterShapes() {
        return candidates().flatMap(kernels -> Stream.of(Arguments.of(kernels, 300, 1000),
                Arguments.of(kernels, 257, 1023), Arguments.of(kernels, 40, 4099), Arguments.of(kernels, 1025, 129)));
    }

    private static void assertAllClose(String op, float[] expected, float[] actual, double tolerance) {
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > tolerance) {
                fail(op + " at " + i + ": " + actual[i] + ", reference " + expected[i] + " (tolerance " + tolerance + ")");
            }
        }
    }
}
