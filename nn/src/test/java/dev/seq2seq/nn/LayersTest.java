package dev.seq2seq.nn;

import static dev.seq2seq.engine.GradCheck.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.nn.init.Initializers;
import dev.seq2seq.nn.loss.SoftmaxCrossEntropy;
import dev.seq2seq.nn.loss.SoftmaxCrossEntropy.Reduction;
import dev.seq2seq.nn.rnn.LSTM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LayersTest {

    @Test
    void denseGradients() {
        Dense dense = new Dense("dense", 4, 3, Dense.Activation.SOFTMAX, 1);
        dense.bias().copyFrom(Tensor.uniform(2, -1, 1, 3));
        Tensor x = Tensor.uniform(3, -1, 1, 5, 4).requireGrad();
        check("Dense softmax", () -> dense.forward(x), x, dense.kernel(), dense.bias());
        Tensor single = Tensor.uniform(4, -1, 1, 1, 4).requireGrad();
        check("Dense single row", () -> dense.logits(single), single, dense.kernel(), dense.bias());
    }

    @Test
    void embeddingGradientsAndItsPaddingRow() {
        Embedding embedding = new Embedding("embedding", 6, 3, 0, 5);
        assertArrayEquals(new float[3], embedding.table().row(0).toArray(), "the padding row starts at zero");
        // The padding row is frozen on purpose, so central differences see it move and backward does
        // not: the check uses real ids only, the padding row is tested just below.
        int[] realIds = {2, 5, 3, 2, 1};
        check("Embedding", () -> embedding.lookup(realIds), embedding.table());
        int[] ids = {2, 0, 5, 2, 0};
        embedding.table().zeroGrad();
        Tape tape = new Tape();
        try (Tape.Scope ignored = tape.activate()) {
            tape.backward(MatrixOps.sum(embedding.lookup(ids)));
        }
        assertArrayEquals(new float[3], embedding.table().grad().row(0).toArray(), "padding got a gradient");
        assertArrayEquals(new float[] {2, 2, 2}, embedding.table().grad().row(2).toArray(), "id 2 was picked twice");
        assertArrayEquals(new float[3], embedding.table().grad().row(1).toArray(), "id 1 was never picked");
    }

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void crossEntropyGradientsWithAMask(Reduction reduction) {
        Tensor logits = Tensor.uniform(6, -2, 2, 5, 7).requireGrad();
        int[] targets = {1, 6, 0, 3, 3};
        float[] mask = {1, 1, 0, 1, 0};
        check("cross-entropy " + reduction, () -> SoftmaxCrossEntropy.loss(logits, targets, mask, reduction), logits);
        Tensor single = Tensor.uniform(7, -2, 2, 1, 1).requireGrad();
        check("cross-entropy, one class", () -> SoftmaxCrossEntropy.loss(single, new int[] {0}, null, reduction), single);
    }

    @Test
    void crossEntropyValuesAndReductions() {
        // Equal logits: every position costs log(V).
        Tensor logits = Tensor.zeros(4, 10);
        int[] targets = {1, 2, 3, 4};
        float[] mask = {1, 1, 1, 0};
        float real = SoftmaxCrossEntropy.loss(logits, targets, mask, Reduction.MEAN_OVER_REAL).at(0);
        float all = SoftmaxCrossEntropy.loss(logits, targets, mask, Reduction.MEAN_OVER_ALL).at(0);
        assertEquals(Math.log(10), real, 1e-6);
        assertEquals(Math.log(10) * 3 / 4, all, 1e-6, "Keras's reduction counts the padded position in the mean");
        // Huge logits must not overflow.
        Tensor large = Tensor.of(new float[] {1000f, -1000f, 0f}, 1, 3);
        assertEquals(0f, SoftmaxCrossEntropy.loss(large, new int[] {0}, null, Reduction.MEAN_OVER_REAL).at(0), 1e-6);
        assertEquals(2, SoftmaxCrossEntropy.correct(Tensor.of(new float[] {0, 1, 1, 0, 5, 0}, 3, 2),
                new int[] {1, 0, 1}, null));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> SoftmaxCrossEntropy.loss(logits, new int[] {1, 12, 0, 0}, null, Reduction.MEAN_OVER_REAL));
        assertTrue(e.getMessage().contains("target 12 at position 1"), e.getMessage());
    }

    @Test
    void initialisersFollowKeras() {
        Tensor recurrent = Initializers.orthogonal(1, 16, 64);
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 16; j++) {
                double dot = 0;
                for (int k = 0; k < 64; k++) {
                    dot += recurrent.get(i, k) * recurrent.get(j, k);
                }
                assertEquals(i == j ? 1.0 : 0.0, dot, 1e-5, "rows " + i + ", " + j + " of an orthogonal [16, 64]");
            }
        }
        Tensor tall = Initializers.orthogonal(2, 9, 4);
        double columnNorm = 0;
        for (int i = 0; i < 9; i++) {
            columnNorm += tall.get(i, 2) * tall.get(i, 2);
        }
        assertEquals(1.0, columnNorm, 1e-5);
        Tensor glorot = Initializers.glorotUniform(3, 70, 1024);
        double limit = Math.sqrt(6.0 / (70 + 1024));
        double max = 0;
        for (int i = 0; i < glorot.size(); i++) {
            max = Math.max(max, Math.abs(glorot.at(i)));
        }
        assertTrue(max <= limit && max > 0.95 * limit, "glorot range " + max + " vs limit " + limit);
        LSTM lstm = new LSTM("lstm", 3, 5, 4);
        for (int j = 0; j < 20; j++) {
            assertEquals(j >= 5 && j < 10 ? 1f : 0f, lstm.bias().at(j), "forget-gate bias is 1, the rest 0");
        }
        assertArrayEquals(Initializers.orthogonal(7, 8, 32).toArray(), Initializers.orthogonal(7, 8, 32).toArray());
    }

    /** A model about to be loaded draws nothing; outside the scope, and after a failure in it, drawing is back. */
    @Test
    void withoutDrawingHandsOutZerosAndOnlyInside() {
        Tensor[] inside = Initializers.withoutDrawing(() -> new Tensor[] {
                Initializers.orthogonal(7, 8, 32), Initializers.glorotUniform(3, 5, 6)});
        assertEquals(8, inside[0].dim(0));
        assertEquals(32, inside[0].dim(1));
        for (Tensor t : inside) {
            for (float v : t.toArray()) {
                assertEquals(0f, v);
            }
        }
        assertThrows(IllegalStateException.class, () -> Initializers.withoutDrawing(() -> {
            throw new IllegalStateException("a failed build");
        }));
        float[] drawn = Initializers.orthogonal(7, 8, 32).toArray();
        double firstRow = 0;
        for (int j = 0; j < 32; j++) {
            firstRow += drawn[j] * drawn[j];
        }
        assertEquals(1.0, firstRow, 1e-5, "drawing again after the scope: rows of unit norm");
    }
}
