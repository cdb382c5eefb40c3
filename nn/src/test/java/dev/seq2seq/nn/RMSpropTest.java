package dev.seq2seq.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.nn.optim.RMSprop;
import java.util.List;
import org.junit.jupiter.api.Test;

class RMSpropTest {

    @Test
    void twoStepsByHand() {
        Tensor w = Tensor.of(new float[] {1f, -2f}, 2).requireGrad().named("w");
        RMSprop optimizer = new RMSprop(List.of(w), 0.1f, 0.9f, 1e-7f, 0f);
        w.gradData()[0] = 0.5f;
        w.gradData()[1] = -4f;
        assertTrue(Float.isNaN(optimizer.step()), "no clipping: the norm is not computed");
        // v = 0.1 g^2; step = lr g / (sqrt(v) + eps) = lr sign(g) / sqrt(0.1)
        double first = 0.1 / Math.sqrt(0.1);
        assertEquals(1 - first, w.at(0), 1e-6);
        assertEquals(-2 + first, w.at(1), 1e-6);
        optimizer.step(); // same gradient: v = 0.19 g^2
        double second = 0.1 / Math.sqrt(0.19);
        assertEquals(1 - first - second, w.at(0), 1e-6);
        assertEquals(2, optimizer.iterations());
        assertEquals(0.19f * 16f, optimizer.state().get(0).at(1), 1e-5);
    }

    @Test
    void clippingByGlobalNormScalesEveryGradient() {
        Tensor a = Tensor.zeros(1).requireGrad().named("a");
        Tensor b = Tensor.zeros(1).requireGrad().named("b");
        RMSprop clipped = new RMSprop(List.of(a, b), 0.1f, 0.9f, 1e-7f, 1f);
        a.gradData()[0] = 3f;
        b.gradData()[0] = 4f;
        assertEquals(5f, clipped.step(), 1e-6, "the norm before clipping");
        // after clipping g = (0.6, 0.8); RMSprop's first step is lr * sign(g) / sqrt(1 - rho) either way
        assertEquals(-0.1 / Math.sqrt(0.1), a.at(0), 1e-5);
        assertEquals(0.1f * 0.36f, clipped.state().get(0).at(0), 1e-6, "v saw the clipped gradient");
    }

    /** A parameter big enough to be updated by both cores gets exactly the element-by-element update. */
    @Test
    void aLargeParameterSplitAcrossCoresGetsTheSameUpdate() {
        int size = 100_003;
        Tensor w = Tensor.uniform(1, -1, 1, size).requireGrad().named("w");
        float[] g = Tensor.uniform(2, -1, 1, size).toArray();
        System.arraycopy(g, 0, w.gradData(), 0, size);
        float[] expectedW = w.toArray();
        float[] expectedV = new float[size];
        for (int step = 0; step < 2; step++) {
            for (int i = 0; i < size; i++) {
                expectedV[i] = 0.9f * expectedV[i] + (1f - 0.9f) * g[i] * g[i];
                expectedW[i] -= 0.01f * g[i] / ((float) Math.sqrt(expectedV[i]) + 1e-7f);
            }
        }
        RMSprop optimizer = new RMSprop(List.of(w), 0.01f, 0.9f, 1e-7f, 0f);
        optimizer.step();
        optimizer.step();
        assertArrayEquals(expectedW, w.toArray());
        assertArrayEquals(expectedV, optimizer.state().get(0).toArray());
    }

    @Test
    void aNewLearningRateAppliesToTheNextStepsAndKeepsTheAverages() {
        int size = 37;
        Tensor w = Tensor.uniform(1, -1, 1, size).requireGrad().named("w");
        float[] g = Tensor.uniform(2, -1, 1, size).toArray();
        System.arraycopy(g, 0, w.gradData(), 0, size);
        float[] expectedW = w.toArray();
        float[] expectedV = new float[size];
        float[] rates = {0.01f, 0.005f, 0.0025f};
        RMSprop optimizer = new RMSprop(List.of(w), rates[0], 0.9f, 1e-7f, 0f);
        for (float rate : rates) {
            for (int i = 0; i < size; i++) {
                expectedV[i] = 0.9f * expectedV[i] + (1f - 0.9f) * g[i] * g[i];
                expectedW[i] -= rate * g[i] / ((float) Math.sqrt(expectedV[i]) + 1e-7f);
            }
            optimizer.setLearningRate(rate);
            optimizer.step();
        }
        assertArrayEquals(expectedW, w.toArray());
        assertArrayEquals(expectedV, optimizer.state().get(0).toArray());
        assertThrows(IllegalArgumentException.class, () -> optimizer.setLearningRate(0f));
        assertThrows(IllegalArgumentException.class, () -> optimizer.setLearningRate(Float.NaN));
    }

    @Test
    void badSettingsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> new RMSprop(List.of(), 0f, 0.9f, 1e-7f, 0f));
        assertThrows(IllegalArgumentException.class, () -> new RMSprop(List.of(), 0.1f, 1f, 1e-7f, 0f));
    }
}
