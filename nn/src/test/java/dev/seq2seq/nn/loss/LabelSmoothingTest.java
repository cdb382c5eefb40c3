package dev.seq2seq.nn.loss;

import static dev.seq2seq.engine.GradCheck.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.nn.GoldenFixture;
import dev.seq2seq.nn.GoldenReport;
import dev.seq2seq.nn.loss.SoftmaxCrossEntropy.Reduction;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The cross-entropy against label-smoothed targets: central differences, PyTorch, and its limits. */
class LabelSmoothingTest {
    private static final double TOLERANCE = 1e-6;

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void gradientsWithAMask(Reduction reduction) {
        Tensor logits = Tensor.uniform(16, -2, 2, 5, 7).requireGrad();
        int[] targets = {1, 6, 0, 3, 3};
        float[] mask = {1, 1, 0, 1, 0};
        check("smoothed cross-entropy " + reduction,
                () -> SoftmaxCrossEntropy.loss(logits, targets, mask, reduction, 0.1f), logits);
        Tensor single = Tensor.uniform(17, -2, 2, 1, 3).requireGrad();
        check("smoothed cross-entropy, one row",
                () -> SoftmaxCrossEntropy.loss(single, new int[] {2}, null, reduction, 0.3f), single);
    }

    @Test
    void matchesPyTorch() {
        GoldenFixture golden = GoldenFixture.load("cross-entropy-smoothed");
        Map<String, Tensor> g = golden.tensors();
        int rows = golden.integer("rows");
        int[] targets = new int[rows];
        for (int i = 0; i < rows; i++) {
            targets[i] = (int) g.get("targets").at(i);
        }
        float[] mask = g.get("mask").toArray();
        GoldenReport report = new GoldenReport();
        for (String smoothing : new String[] {"0.1", "0.25"}) {
            for (Reduction reduction : Reduction.values()) {
                String key = smoothing + "/" + (reduction == Reduction.MEAN_OVER_REAL ? "real" : "all");
                Tensor logits = g.get("logits").copy().requireGrad();
                Tape tape = new Tape();
                try (Tape.Scope ignored = tape.activate()) {
                    Tensor loss = SoftmaxCrossEntropy.loss(logits, targets, mask, reduction,
                            Float.parseFloat(smoothing));
                    report.compare("loss, smoothing " + key, g.get("loss/" + key), loss, TOLERANCE);
                    tape.backward(loss);
                }
                report.compare("d logits, smoothing " + key, g.get("grad/" + key), logits.grad(), TOLERANCE);
            }
        }
        report.printAndCheck("label-smoothed cross-entropy against PyTorch " + golden.torch());
    }

    @Test
    void noSmoothingIsThePlainLossBitForBit() {
        Tensor logits = Tensor.uniform(18, -3, 3, 9, 11);
        int[] targets = {0, 10, 5, 5, 2, 7, 1, 3, 9};
        float[] mask = {1, 1, 1, 0, 1, 1, 1, 1, 0};
        Tensor a = logits.copy().requireGrad();
        Tensor b = logits.copy().requireGrad();
        float plain = lossAndGradient(a, targets, mask, -1f);
        float zero = lossAndGradient(b, targets, mask, 0f);
        assertEquals(Float.floatToIntBits(plain), Float.floatToIntBits(zero));
        assertArrayEquals(a.grad().toArray(), b.grad().toArray());
    }

    /** The loss, after its backward pass into logits.grad(); smoothing -1: the four-argument form. */
    private static float lossAndGradient(Tensor logits, int[] targets, float[] mask, float smoothing) {
        Tape tape = new Tape();
        try (Tape.Scope ignored = tape.activate()) {
            Tensor loss = smoothing < 0 ? SoftmaxCrossEntropy.loss(logits, targets, mask, Reduction.MEAN_OVER_REAL)
                    : SoftmaxCrossEntropy.loss(logits, targets, mask, Reduction.MEAN_OVER_REAL, smoothing);
            tape.backward(loss);
            return loss.at(0);
        }
    }

    @Test
    void uniformLogitsCostTheSameWithOrWithoutSmoothing() {
        // p is uniform, so every class costs log V and so does any mix of them.
        Tensor logits = Tensor.zeros(3, 8);
        float loss = SoftmaxCrossEntropy.loss(logits, new int[] {1, 2, 7}, null, Reduction.MEAN_OVER_REAL, 0.4f).at(0);
        assertEquals(Math.log(8), loss, 1e-6);
    }

    @Test
    void refusesSmoothingOutsideItsRange() {
        Tensor logits = Tensor.zeros(1, 3);
        for (float bad : new float[] {-0.1f, 1f, Float.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SoftmaxCrossEntropy.loss(logits, new int[] {0}, null, Reduction.MEAN_OVER_REAL, bad));
            assertTrue(e.getMessage().contains("label smoothing must be in [0, 1)"), e.getMessage());
        }
    }
}
