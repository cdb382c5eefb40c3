package dev.seq2seq.nn.attention;

import static dev.seq2seq.engine.GradCheck.check;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Each attention score against central differences, through the whole step (weights, context and
 * attentional state), with padded sentences, a one-position source and a batch of one; and the
 * arithmetic of the weights on a case small enough to write down.
 */
class GlobalAttentionTest {
    private static final int UNITS = 4;

    private static void checkAll(GlobalAttention attention, int steps, int batch, int[] lengths, String what) {
        Tensor outputs = Tensor.uniform(11, -1, 1, steps * batch, UNITS).requireGrad();
        Tensor state = Tensor.uniform(12, -1, 1, batch, UNITS).requireGrad();
        Tensor[] inputs = new Tensor[2 + attention.parameters().size()];
        inputs[0] = outputs;
        inputs[1] = state;
        for (int i = 0; i < attention.parameters().size(); i++) {
            inputs[2 + i] = attention.parameters().get(i);
        }
        check(what + ", attentional state", () -> attention.attend(state, attention.memory(outputs, steps, lengths))
                .attentional(), inputs);
        check(what + ", weights", () -> attention.attend(state, attention.memory(outputs, steps, lengths)).weights(),
                inputs);
    }

    @ParameterizedTest
    @EnumSource(GlobalAttention.Score.class)
    void gradientsMatchCentralDifferencesWithPaddedSentences(GlobalAttention.Score score) {
        checkAll(new GlobalAttention("attention", score, UNITS, 5), 3, 3, new int[] {3, 1, 2}, score + ", padded");
    }

    @ParameterizedTest
    @EnumSource(GlobalAttention.Score.class)
    void gradientsMatchForOnePositionAndForABatchOfOne(GlobalAttention.Score score) {
        checkAll(new GlobalAttention("attention", score, UNITS, 6), 1, 2, null, score + ", S = 1");
        checkAll(new GlobalAttention("attention", score, UNITS, 7), 4, 1, new int[] {3}, score + ", batch 1");
    }

    @ParameterizedTest
    @EnumSource(GlobalAttention.Score.class)
    void paddedPositionsGetExactlyZeroWeightAndTheRestSumsToOne(GlobalAttention.Score score) {
        GlobalAttention attention = new GlobalAttention("attention", score, UNITS, 8);
        int steps = 5;
        int[] lengths = {5, 2, 1};
        Tensor outputs = Tensor.uniform(13, -1, 1, steps * 3, UNITS);
        try (Tape.Scope ignored = Tape.pause()) {
            Tensor weights = attention.attend(Tensor.uniform(14, -1, 1, 3, UNITS),
                    attention.memory(outputs, steps, lengths)).weights();
            for (int b = 0; b < 3; b++) {
                double sum = 0;
                for (int s = 0; s < steps; s++) {
                    float weight = weights.get(b, s);
                    if (s >= lengths[b]) {
                        assertEquals(0f, weight, "sentence " + b + ", padded position " + s);
                    }
                    sum += weight;
                }
                assertEquals(1.0, sum, 1e-6);
            }
            assertEquals(1f, weights.get(2, 0), "a one-position sentence attends to it entirely");
        }
    }

    @Test
    void dotWeightsAreTheSoftmaxOfTheDotProducts() {
        GlobalAttention attention = new GlobalAttention("attention", GlobalAttention.Score.DOT, 2, 9);
        // one sentence, two positions: h_1 = (1, 0), h_2 = (0, 1); the decoder state (2, 1)
        Tensor outputs = Tensor.of(new float[] {1, 0, 0, 1}, 2, 2);
        try (Tape.Scope ignored = Tape.pause()) {
            GlobalAttention.Step step = attention.attend(Tensor.of(new float[] {2, 1}, 1, 2),
                    attention.memory(outputs, 2, null));
            double first = Math.exp(2) / (Math.exp(2) + Math.exp(1));
            assertEquals(first, step.weights().get(0, 0), 1e-6);
            assertEquals(1 - first, step.weights().get(0, 1), 1e-6);
        }
    }

    @Test
    void memoryOfTheWrongShapeOrLengthIsRefused() {
        GlobalAttention attention = new GlobalAttention("attention", GlobalAttention.Score.GENERAL, UNITS, 10);
        assertThrows(IllegalArgumentException.class, () -> attention.memory(Tensor.zeros(7, UNITS), 3, null));
        GlobalAttention.Memory memory = attention.memory(Tensor.zeros(6, UNITS), 3, new int[] {3, 0});
        assertThrows(IllegalArgumentException.class, () -> attention.attend(Tensor.zeros(2, UNITS), memory));
    }
}
