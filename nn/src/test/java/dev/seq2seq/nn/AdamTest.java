package dev.seq2seq.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.nn.optim.Adam;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Adam: by hand, against PyTorch's torch.optim.Adam, split across cores, resumed, and its limits. */
class AdamTest {

    @Test
    void theFirstStepMovesEveryWeightByTheRateWhateverItsGradient() {
        Tensor w = Tensor.of(new float[] {1f, -2f, 0.5f}, 3).requireGrad().named("w");
        Adam optimizer = new Adam(List.of(w), 0.1f);
        w.gradData()[0] = 0.5f;
        w.gradData()[1] = -400f;
        w.gradData()[2] = 0f;
        assertTrue(Float.isNaN(optimizer.step()), "no clipping: the norm is not computed");
        // corrected m = g and sqrt(corrected v) = |g|: the step is lr * sign(g) (epsilon aside), 0 for g = 0
        assertEquals(1 - 0.1, w.at(0), 1e-6);
        assertEquals(-2 + 0.1, w.at(1), 1e-6);
        assertEquals(0.5, w.at(2), 0.0);
        assertEquals(1, optimizer.iterations());
        assertEquals(0.1f * 0.5f, optimizer.state().get(0).at(0), 1e-7, "m = (1 - beta1) g");
        assertEquals(0.001f * 0.25f, optimizer.state().get(1).at(0), 1e-8, "v = (1 - beta2) g^2");
        assertEquals(List.of("w/adam_m", "w/adam_v"), optimizer.state().stream().map(Tensor::name).toList());
    }

    @Test
    void matchesPyTorch() {
        GoldenFixture golden = GoldenFixture.load("adam");
        Map<String, Tensor> g = golden.tensors();
        int steps = golden.integer("steps");
        GoldenReport report = new GoldenReport();
        for (String setting : new String[] {"defaults", "epsilon"}) {
            Tensor kernel = g.get("start/kernel").copy().requireGrad().named("kernel");
            Tensor bias = g.get("start/bias").copy().requireGrad().named("bias");
            Adam optimizer = setting.equals("defaults") ? new Adam(List.of(kernel, bias), 0.01f)
                    : new Adam(List.of(kernel, bias), 0.01f, 0.5f, 0.9f, 1e-3f, 0f);
            for (int step = 1; step <= steps; step++) {
                System.arraycopy(g.get("grad" + step + "/kernel").toArray(), 0, kernel.gradData(), 0, kernel.size());
                System.arraycopy(g.get("grad" + step + "/bias").toArray(), 0, bias.gradData(), 0, bias.size());
                optimizer.step();
                report.compare(setting + ", step " + step + ", kernel", g.get(setting + "/step" + step + "/kernel"),
                        kernel, 1e-6);
                report.compare(setting + ", step " + step + ", bias", g.get(setting + "/step" + step + "/bias"), bias,
                        1e-6);
            }
            List<Tensor> state = optimizer.state();
            report.compare(setting + ", m of kernel", g.get(setting + "/m/kernel"), state.get(0), 1e-6);
            report.compare(setting + ", m of bias", g.get(setting + "/m/bias"), state.get(1), 1e-6);
            report.compare(setting + ", v of kernel", g.get(setting + "/v/kernel"), state.get(2), 1e-6);
            report.compare(setting + ", v of bias", g.get(setting + "/v/bias"), state.get(3), 1e-6);
        }
        report.printAndCheck("Adam against PyTorch " + golden.torch());
    }

    /** A parameter big enough to be updated by both cores gets exactly the element-by-element update. */
    @Test
    void aLargeParameterSplitAcrossCoresGetsTheSameUpdate() {
        int size = 100_003;
        Tensor w = Tensor.uniform(1, -1, 1, size).requireGrad().named("w");
        float[] g = Tensor.uniform(2, -1, 1, size).toArray();
        System.arraycopy(g, 0, w.gradData(), 0, size);
        float[] expectedW = w.toArray();
        float[] m = new float[size];
        float[] v = new float[size];
        for (int t = 1; t <= 2; t++) {
            // the corrections from the float settings, widened, as Adam computes them
            float stepSize = (float) (0.01f / (1 - Math.pow(0.9f, t)));
            float correction2Sqrt = (float) Math.sqrt(1 - Math.pow(0.999f, t));
            for (int i = 0; i < size; i++) {
                m[i] = 0.9f * m[i] + (1f - 0.9f) * g[i];
                v[i] = 0.999f * v[i] + (1f - 0.999f) * g[i] * g[i];
                expectedW[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) / correction2Sqrt + 1e-8f);
            }
        }
        Adam optimizer = new Adam(List.of(w), 0.01f);
        optimizer.step();
        optimizer.step();
        assertArrayEquals(expectedW, w.toArray());
        assertArrayEquals(m, optimizer.state().get(0).toArray());
        assertArrayEquals(v, optimizer.state().get(1).toArray());
    }

    /** A run that restores the moments and the step count goes on exactly as an uninterrupted one. */
    @Test
    void restoredMomentsAndStepCountContinueExactly() {
        float[] g = Tensor.uniform(3, -1, 1, 41).toArray();
        Tensor straight = Tensor.uniform(4, -1, 1, 41).requireGrad().named("w");
        Adam uninterrupted = new Adam(List.of(straight), 0.01f);
        for (int step = 0; step < 3; step++) {
            System.arraycopy(g, 0, straight.gradData(), 0, g.length);
            uninterrupted.step();
        }
        assertArrayEquals(straight.toArray(), resumedAfterOneStep(g, true).toArray());
        // without the step count the bias corrections would be those of step 1 again
        assertTrue(resumedAfterOneStep(g, false).at(0) != straight.at(0), "the step count matters");
    }

    /**
     * The weights after one step, a new Adam given the first one's moments (and its step count when
     * {@code keepStepCount}), then two more steps; the gradient is {@code g} every time.
     */
    private static Tensor resumedAfterOneStep(float[] g, boolean keepStepCount) {
        Tensor w = Tensor.uniform(4, -1, 1, g.length).requireGrad().named("w");
        Adam first = new Adam(List.of(w), 0.01f);
        System.arraycopy(g, 0, w.gradData(), 0, g.length);
        first.step();
        Adam second = new Adam(List.of(w), 0.01f);
        for (int s = 0; s < 2; s++) {
            System.arraycopy(first.state().get(s).toArray(), 0, second.state().get(s).data(), 0, g.length);
        }
        if (keepStepCount) {
            second.setIterations(first.iterations());
        }
        for (int step = 1; step < 3; step++) {
            System.arraycopy(g, 0, w.gradData(), 0, g.length);
            second.step();
        }
        return w;
    }

    @Test
    void clippingByGlobalNormScalesEveryGradient() {
        Tensor a = Tensor.zeros(1).requireGrad().named("a");
        Tensor b = Tensor.zeros(1).requireGrad().named("b");
        Adam clipped = new Adam(List.of(a, b), 0.1f, 0.9f, 0.999f, 1e-8f, 1f);
        a.gradData()[0] = 3f;
        b.gradData()[0] = 4f;
        assertEquals(5f, clipped.step(), 1e-6, "the norm before clipping");
        assertEquals(0.1f * 0.6f, clipped.state().get(0).at(0), 1e-6, "m saw the clipped gradient");
        assertEquals(-0.1, a.at(0), 1e-5);
    }

    @Test
    void refusesSettingsOutsideTheirRange() {
        Tensor w = Tensor.zeros(1).requireGrad().named("w");
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(w), 0f));
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(w), 0.1f, 1f, 0.999f, 1e-8f, 0f));
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(w), 0.1f, 0.9f, 0.999f, 0f, 0f));
        Adam adam = new Adam(List.of(w), 0.1f);
        assertThrows(IllegalArgumentException.class, () -> adam.setLearningRate(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> adam.setIterations(-1));
    }
}
