package dev.seq2seq.engine.autograd;

import static dev.seq2seq.engine.GradCheck.check;

import dev.seq2seq.engine.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every differentiable op against central differences, including single rows and size 1. */
class OpsGradientTest {

    private static Tensor param(long seed, int... shape) {
        return Tensor.uniform(seed, -1f, 1f, shape).requireGrad();
    }

    @ParameterizedTest(name = "matmul [{0}x{1}].[{1}x{2}]")
    @CsvSource({"1,1,1", "1,5,3", "4,1,6", "3,7,5", "5,17,9"})
    void matmul(int m, int k, int n) {
        Tensor a = param(1, m, k);
        Tensor b = param(2, k, n);
        check("matmul", () -> MatrixOps.matmul(a, b), a, b);
    }

    @ParameterizedTest(name = "affine [{0}x{1}].[{1}x{2}] + [{2}]")
    @CsvSource({"1,1,1", "1,5,3", "4,1,6", "3,7,5", "5,17,9"})
    void affine(int m, int k, int n) {
        Tensor a = param(21, m, k);
        Tensor b = param(22, k, n);
        Tensor v = param(23, n);
        check("affine", () -> MatrixOps.affine(a, b, v), a, b, v);
    }

    /** Odd sizes, and a head as wide as a vocabulary (split between threads, several vectors per row). */
    @ParameterizedTest(name = "affine [{0}x{1}].[{1}x{2}] + [{2}] equals matmul then addRowVector")
    @CsvSource({"1,1,1", "7,13,37", "37,64,803", "65,33,1029"})
    void affineEqualsMatmulThenBiasBitForBit(int m, int k, int n) {
        Tensor a = param(24, m, k);
        Tensor b = param(25, k, n);
        Tensor v = param(26, n);
        Tensor seed = Tensor.uniform(27, -1f, 1f, m, n);
        float[][] fused = valueAndGradients(() -> MatrixOps.affine(a, b, v), seed, a, b, v);
        float[][] composed = valueAndGradients(() -> MatrixOps.addRowVector(MatrixOps.matmul(a, b), v), seed, a, b, v);
        for (int i = 0; i < fused.length; i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(composed[i], fused[i], i == 0 ? "values" : "gradient " + i);
        }
    }

    @ParameterizedTest(name = "matmulPlus [{0}x{1}].[{1}x{2}] + [{0}x{2}]")
    @CsvSource({"1,1,1", "1,5,3", "4,1,6", "3,7,5", "5,17,9"})
    void matmulPlus(int m, int k, int n) {
        Tensor a = param(31, m, k);
        Tensor b = param(32, k, n);
        Tensor p = param(33, m, n);
        check("matmulPlus", () -> MatrixOps.matmulPlus(a, b, p), a, b, p);
    }

    /**
     * Odd sizes, a decoder step's [64, 256] x [256, 1024] (split between threads), and P and B as
     * views into larger tensors, as a decoder's step passes them (its rows of the tokens' projection
     * of all steps, the fed-back rows of the input kernel).
     */
    @ParameterizedTest(name = "matmulPlus [{0}x{1}].[{1}x{2}] + [{0}x{2}] equals add(p, matmul(a, b))")
    @CsvSource({"1,1,1", "7,13,37", "64,256,1024", "65,33,1029"})
    void matmulPlusEqualsAddOfMatmulBitForBit(int m, int k, int n) {
        Tensor a = param(34, m, k);
        Tensor kernel = param(35, k + 3, n);
        Tensor projections = param(36, 3 * m, n);
        Tensor b = kernel.rows(3, k + 3);
        Tensor p = projections.rows(m, 2 * m);
        Tensor seed = Tensor.uniform(37, -1f, 1f, m, n);
        float[][] fused = valueAndGradients(() -> MatrixOps.matmulPlus(a, b, p), seed, a, kernel, projections);
        float[][] composed = valueAndGradients(() -> MatrixOps.add(p, MatrixOps.matmul(a, b)), seed, a, kernel,
                projections);
        for (int i = 0; i < fused.length; i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(composed[i], fused[i], i == 0 ? "values" : "gradient " + i);
        }
    }

    @ParameterizedTest(name = "oneHotProjectionPlus [{0} ids of {1} rows] + [{0}x{2}].[{2}x{3}]")
    @CsvSource({"1,1,1,1", "4,5,3,6", "7,3,5,9"})
    void oneHotProjectionPlus(int m, int vocabulary, int k, int n) {
        Tensor table = param(41, vocabulary + k, n);
        Tensor bias = param(42, n);
        Tensor a = param(43, m, k);
        int[] ids = new int[m];
        for (int r = 0; r < m; r++) {
            ids[r] = (r * 3) % vocabulary; // repeats once m passes the vocabulary
        }
        check("oneHotProjectionPlus", () -> MatrixOps.oneHotProjectionPlus(ids, table, bias, a,
                table.rows(vocabulary, vocabulary + k)), table, bias, a);
    }

    /** As a character decoder's step calls it: the ids and the fed-back rows in one kernel, a repeated id. */
    @ParameterizedTest(name = "oneHotProjectionPlus [{0} ids] + [{0}x{1}].[{1}x{2}] equals matmulPlus of oneHotProjection")
    @CsvSource({"1,1,1", "7,13,37", "64,256,1024", "65,33,1029"})
    void oneHotProjectionPlusEqualsMatmulPlusOfLookupBitForBit(int m, int k, int n) {
        int vocabulary = 11;
        Tensor kernel = param(44, vocabulary + k, n);
        Tensor bias = param(45, n);
        Tensor a = param(46, m, k);
        int[] ids = new int[m];
        for (int r = 0; r < m; r++) {
            ids[r] = (r * 7 + 2) % vocabulary;
        }
        Tensor b = kernel.rows(vocabulary, vocabulary + k);
        Tensor seed = Tensor.uniform(47, -1f, 1f, m, n);
        float[][] fused = valueAndGradients(() -> MatrixOps.oneHotProjectionPlus(ids, kernel, bias, a, b), seed,
                kernel, bias, a);
        float[][] composed = valueAndGradients(() -> MatrixOps.matmulPlus(a, b, MatrixOps.oneHotProjection(ids, kernel,
                bias)), seed, kernel, bias, a);
        for (int i = 0; i < fused.length; i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(composed[i], fused[i], i == 0 ? "values" : "gradient " + i);
        }
    }

    @ParameterizedTest(name = "tanhOfConcatProduct [{0}x{1} ; {0}x{2}].[{3} columns]")
    @CsvSource({"1,1,1,1", "3,2,4,5", "4,5,3,2"})
    void tanhOfConcatProduct(int m, int p, int q, int n) {
        Tensor l = param(51, m, p);
        Tensor r = param(52, m, q);
        Tensor w = param(53, p + q, n);
        check("tanhOfConcatProduct", () -> MatrixOps.tanhOfConcatProduct(l, r, w), l, r, w);
    }

    /** Odd sizes and an attention step's [64, 256 + 256] x [512, 256], split between threads. */
    @ParameterizedTest(name = "tanhOfConcatProduct [{0}x{1} ; {0}x{2}].[{3} columns] equals tanh(matmul(concatColumns))")
    @CsvSource({"1,1,1,1", "7,13,5,37", "64,256,256,256", "65,33,17,1029"})
    void tanhOfConcatProductEqualsItsOpsBitForBit(int m, int p, int q, int n) {
        Tensor l = param(54, m, p);
        Tensor rows = param(55, 2 * m, q);
        Tensor r = rows.rows(m, 2 * m);
        Tensor w = param(56, p + q, n);
        Tensor seed = Tensor.uniform(57, -1f, 1f, m, n);
        float[][] fused = valueAndGradients(() -> MatrixOps.tanhOfConcatProduct(l, r, w), seed, l, rows, w);
        float[][] composed = valueAndGradients(() -> ActivationOps.tanh(MatrixOps.matmul(ShapeOps.concatColumns(l, r),
                w)), seed, l, rows, w);
        for (int i = 0; i < fused.length; i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(composed[i], fused[i], i == 0 ? "values" : "gradient " + i);
        }
    }

    @ParameterizedTest(name = "elementwise on {0}x{1}")
    @CsvSource({"1,1", "1,7", "3,5"})
    void elementwise(int rows, int cols) {
        Tensor a = param(3, rows, cols);
        Tensor b = param(4, rows, cols);
        check("add", () -> MatrixOps.add(a, b), a, b);
        check("sub", () -> MatrixOps.sub(a, b), a, b);
        check("mul", () -> MatrixOps.mul(a, b), a, b);
        check("scale", () -> MatrixOps.scale(a, -2.5f), a);
        check("sigmoid", () -> ActivationOps.sigmoid(a), a);
        check("tanh", () -> ActivationOps.tanh(a), a);
        check("exp", () -> ActivationOps.exp(a), a);
        Tensor positive = Tensor.uniform(5, 0.5f, 2f, rows, cols).requireGrad();
        check("log", () -> ActivationOps.log(positive), positive);
    }

    @Test
    void sameTensorOnBothSidesAccumulatesBothContributions() {
        Tensor a = param(6, 3, 4);
        check("mul(a, a)", () -> MatrixOps.mul(a, a), a);
        check("add(a, a)", () -> MatrixOps.add(a, a), a);
    }

    @ParameterizedTest(name = "reductions on {0}x{1}")
    @CsvSource({"1,1", "1,6", "4,3"})
    void reductionsAndBias(int rows, int cols) {
        Tensor a = param(7, rows, cols);
        Tensor v = param(8, cols);
        check("sum", () -> MatrixOps.sum(a), a);
        check("mean", () -> MatrixOps.mean(a), a);
        check("addRowVector", () -> MatrixOps.addRowVector(a, v), a, v);
    }

    @ParameterizedTest(name = "softmax on {0}x{1}")
    @CsvSource({"1,1", "1,5", "3,7", "2,93"})
    void softmaxFamily(int rows, int cols) {
        Tensor x = Tensor.uniform(9, -3f, 3f, rows, cols).requireGrad();
        check("softmax", () -> SoftmaxOps.softmax(x), x);
        check("logSoftmax", () -> SoftmaxOps.logSoftmax(x), x);
    }

    @Test
    void shapeOps() {
        Tensor a = param(10, 3, 8);
        Tensor b = param(11, 3, 2);
        check("sliceColumns", () -> ShapeOps.sliceColumns(a, 2, 6), a);
        check("sliceColumns single column", () -> ShapeOps.sliceColumns(a, 7, 8), a);
        check("concatColumns", () -> ShapeOps.concatColumns(a, b, a), a, b);
        Tensor c = param(20, 2, 8);
        check("concatRows", () -> ShapeOps.concatRows(a, c, a.rows(1, 2)), a, c);
        check("concatRows of one", () -> ShapeOps.concatRows(c), c);
        Tensor table = param(12, 5, 4);
        check("gatherRows with a repeated id", () -> ShapeOps.gatherRows(table, new int[] {3, 0, 3, 4}), table);
        check("gatherRows single row", () -> ShapeOps.gatherRows(table, new int[] {2}), table);
        Tensor bias = param(17, 4);
        check("oneHotProjection with a repeated id", () -> MatrixOps.oneHotProjection(new int[] {3, 0, 3, 4}, table, bias),
                table, bias);
        check("oneHotProjection single row", () -> MatrixOps.oneHotProjection(new int[] {1}, table, bias), table, bias);
    }

    @Test
    void concatRowsStacksTheMatricesInOrder() {
        Tensor top = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor table = Tensor.of(new float[] {5, 6, 7, 8, 9, 10}, 3, 2);
        float[] stacked = ShapeOps.concatRows(top, table.rows(1, 3), top.rows(0, 1)).toArray();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1, 2, 3, 4, 7, 8, 9, 10, 1, 2}, stacked);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ShapeOps.concatRows(top, Tensor.zeros(1, 3)));
    }

    @Test
    void oneHotProjectionEqualsGatherThenBiasBitForBit() {
        Tensor table = param(18, 6, 37);
        Tensor bias = param(19, 37);
        int[] ids = {5, 0, 2, 5, 1, 3, 3};
        Tensor seed = Tensor.uniform(20, -1f, 1f, ids.length, 37);
        float[][] fused = valueAndGradients(() -> MatrixOps.oneHotProjection(ids, table, bias), seed, table, bias);
        float[][] composed = valueAndGradients(() -> MatrixOps.addRowVector(ShapeOps.gatherRows(table, ids), bias), seed,
                table, bias);
        for (int i = 0; i < fused.length; i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(composed[i], fused[i], i == 0 ? "values" : "gradient " + i);
        }
    }

    /** The op's values, then the gradients of sum(op * seed) for each input. */
    private static float[][] valueAndGradients(java.util.function.Supplier<Tensor> op, Tensor seed, Tensor... inputs) {
        for (Tensor input : inputs) {
            input.zeroGrad();
        }
        Tape tape = new Tape();
        float[][] result = new float[inputs.length + 1][];
        try (Tape.Scope ignored = tape.activate()) {
            Tensor out = op.get();
            result[0] = out.toArray();
            tape.backward(MatrixOps.sum(MatrixOps.mul(out, seed)));
        }
        for (int i = 0; i < inputs.length; i++) {
            result[i + 1] = inputs[i].grad().toArray();
        }
        return result;
    }

    @Test
    void viewsShareTheirOwnersGradient() {
        Tensor a = param(13, 4, 6);
        Tensor w = param(14, 3, 5);
        // A first-axis slice and a reshape feed a product: gradients must land in a's rows 1..2.
        check("rows + view + matmul", () -> MatrixOps.matmul(a.rows(1, 3).view(4, 3), w), a, w);
    }

    @Test
    void aComposedCellMatchesCentralDifferences() {
        // One LSTM-like step made of primitives: the kind of graph the nn layers build.
        Tensor x = param(15, 2, 3);
        Tensor h = param(16, 2, 4);
        Tensor kernel = param(17, 3, 16);
        Tensor recurrent = param(18, 4, 16);
        Tensor bias = param(19, 16);
        check("composed gates", () -> {
            Tensor z = MatrixOps.addRowVector(MatrixOps.add(MatrixOps.matmul(x, kernel), MatrixOps.matmul(h, recurrent)),
                    bias);
            Tensor i = ActivationOps.sigmoid(ShapeOps.sliceColumns(z, 0, 4));
            Tensor g = ActivationOps.tanh(ShapeOps.sliceColumns(z, 8, 12));
            return ActivationOps.tanh(MatrixOps.mul(i, g));
        }, x, h, kernel, recurrent, bias);
    }
}
