package dev.seq2seq.nn.loss;

import static dev.seq2seq.engine.GradCheck.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.nn.loss.SoftmaxCrossEntropy.Reduction;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The output layer's product and its cross-entropy in one op: the two ops' numbers, to the bit. */
class AffineCrossEntropyTest {

    /** The loss and the gradients of x, kernel and bias, by the fused op or by the two ops. */
    private static List<float[]> lossAndGradients(boolean fused, Tensor x, Tensor kernel, Tensor bias, int[] targets,
                                                  float[] mask, Reduction reduction, float smoothing,
                                                  float upstream) {
        return lossAndGradients(fused, x, kernel, bias, targets, mask, reduction, smoothing, upstream, false);
    }

    /**
     * As above; with {@code xUsedAfter}, x also feeds a term recorded after the loss, whose
     * backward runs first, so that x's gradient holds something when the loss's backward adds to it.
     */
    private static List<float[]> lossAndGradients(boolean fused, Tensor x, Tensor kernel, Tensor bias, int[] targets,
                                                  float[] mask, Reduction reduction, float smoothing,
                                                  float upstream, boolean xUsedAfter) {
        Tensor xCopy = x.copy().requireGrad();
        Tensor kernelCopy = kernel.copy().requireGrad();
        Tensor biasCopy = bias.copy().requireGrad();
        Tape tape = new Tape();
        float loss;
        try (Tape.Scope ignored = tape.activate()) {
            Tensor value = fused
                    ? SoftmaxCrossEntropy.ofAffine(xCopy, kernelCopy, biasCopy, targets, mask, reduction, smoothing)
                    : SoftmaxCrossEntropy.loss(MatrixOps.affine(xCopy, kernelCopy, biasCopy), targets, mask, reduction,
                            smoothing);
            if (xUsedAfter) {
                value = MatrixOps.add(value, MatrixOps.scale(MatrixOps.sum(MatrixOps.mul(xCopy, xCopy)), 0.01f));
            }
            loss = value.at(0);
            // a loss scaled before backward (as the per-step losses of a run without teacher forcing are)
            tape.backward(upstream == 1f ? value : MatrixOps.scale(value, upstream));
        }
        return List.of(new float[] {loss}, xCopy.grad().toArray(), kernelCopy.grad().toArray(),
                biasCopy.grad().toArray());
    }

    @ParameterizedTest(name = "rows {0}, in {1}, classes {2}, {3}, smoothing {4}, upstream {5}")
    @CsvSource({
        "97, 33, 1031, MEAN_OVER_REAL, 0, 1",      // big enough for the products and rows to be split
        "97, 33, 1031, MEAN_OVER_ALL, 0.1, 1",
        "130, 17, 3001, MEAN_OVER_REAL, 0.1, 0.37",
        "1, 5, 7, MEAN_OVER_REAL, 0, 1",           // one position
        "13, 1, 2, MEAN_OVER_ALL, 0, 2.5",
        "150, 64, 257, MEAN_OVER_REAL, 0, 1"})     // 48 inputs or more: the weight gradient from packed strips
    void theSameBitsAsTheAffineOpThenTheLoss(int rows, int in, int classes, Reduction reduction, float smoothing,
                                              float upstream) {
        Tensor x = Tensor.uniform(31, -1, 1, rows, in);
        Tensor kernel = Tensor.uniform(32, -0.5f, 0.5f, in, classes);
        Tensor bias = Tensor.uniform(33, -0.2f, 0.2f, classes);
        int[] targets = new int[rows];
        float[] mask = new float[rows];
        for (int i = 0; i < rows; i++) {
            targets[i] = (i * 7919 + 3) % classes;
            mask[i] = i % 5 == 2 ? 0f : 1f; // every fifth position padded
        }
        // the fused op leaves the padded positions out of its products; the two ops do not
        for (boolean xUsedAfter : new boolean[] {false, true}) {
            List<float[]> twoOps = lossAndGradients(false, x, kernel, bias, targets, mask, reduction, smoothing,
                    upstream, xUsedAfter);
            List<float[]> oneOp = lossAndGradients(true, x, kernel, bias, targets, mask, reduction, smoothing,
                    upstream, xUsedAfter);
            String[] names = {"loss", "d x", "d kernel", "d bias"};
            for (int i = 0; i < names.length; i++) {
                assertArrayEquals(twoOps.get(i), oneOp.get(i), names[i] + (xUsedAfter ? ", x used after" : ""));
            }
        }
    }

    /** The two heads measured: the seed's, whose padded rows cost less than copying the rest, and a word model's. */
    @Test
    void paddedRowsAreLeftOutWhereThatPays() {
        assertFalse(SoftmaxCrossEntropy.pickingPays(3776, 3500, 256, 95), "the seed's 95 characters");
        assertTrue(SoftmaxCrossEntropy.pickingPays(576, 536, 256, 8004), "8,004 words");
        assertFalse(SoftmaxCrossEntropy.pickingPays(576, 576, 256, 8004), "nothing padded");
    }

    @Test
    void gradientsByCentralDifferences() {
        Tensor x = Tensor.uniform(41, -1, 1, 5, 4).requireGrad();
        Tensor kernel = Tensor.uniform(42, -0.5f, 0.5f, 4, 6).requireGrad();
        Tensor bias = Tensor.uniform(43, -0.2f, 0.2f, 6).requireGrad();
        int[] targets = {5, 0, 2, 2, 3};
        float[] mask = {1, 0, 1, 1, 1};
        check("affine cross-entropy", () -> SoftmaxCrossEntropy.ofAffine(x, kernel, bias, targets, mask,
                Reduction.MEAN_OVER_REAL, 0.1f), x, kernel, bias);
    }

    @Test
    void badShapesAndTargetsAreNamed() {
        Tensor x = Tensor.zeros(2, 3);
        Tensor kernel = Tensor.zeros(3, 4);
        Tensor bias = Tensor.zeros(4);
        IllegalArgumentException inner = assertThrows(IllegalArgumentException.class, () ->
                SoftmaxCrossEntropy.ofAffine(x, Tensor.zeros(2, 4), bias, new int[2], null, Reduction.MEAN_OVER_REAL,
                        0f));
        assertTrue(inner.getMessage().startsWith("affineSoftmaxCrossEntropy: inner dimensions differ"),
                inner.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () ->
                SoftmaxCrossEntropy.ofAffine(x, kernel, bias, new int[3], null, Reduction.MEAN_OVER_REAL, 0f));
        assertTrue(count.getMessage().contains("3 targets for"), count.getMessage());
        IndexOutOfBoundsException target = assertThrows(IndexOutOfBoundsException.class, () ->
                SoftmaxCrossEntropy.ofAffine(x, kernel, bias, new int[] {0, 4}, null, Reduction.MEAN_OVER_REAL, 0f));
        assertTrue(target.getMessage().startsWith("affineSoftmaxCrossEntropy: target 4 at position 1"),
                target.getMessage());
        assertEquals(Math.log(4), SoftmaxCrossEntropy.ofAffine(x, kernel, bias, new int[] {1, 3}, null,
                Reduction.MEAN_OVER_REAL, 0f).at(0), 1e-6, "zero weights: every class equally likely");
    }
}
