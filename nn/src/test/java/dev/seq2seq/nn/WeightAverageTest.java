package dev.seq2seq.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.nn.optim.WeightAverage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The weights' moving average: by hand, with its warm-up, split across cores, swapped, and its limits. */
class WeightAverageTest {

    @Test
    void followsTheWeightsByTheWarmedUpDecay() {
        Tensor w = Tensor.of(new float[] {1f, -2f, 4f}, 3).requireGrad().named("w");
        WeightAverage average = new WeightAverage(List.of(w), 0.5f);
        assertEquals("w/average", average.state().get(0).name());
        assertArrayEquals(new float[] {1f, -2f, 4f}, average.state().get(0).toArray(), "starts at the weights");

        // update 1 (t = 0): d = min(0.5, 1 / 10) = 0.1, so the average moves 90% of the way
        w.copyFrom(Tensor.of(new float[] {11f, -2f, 0f}, 3));
        average.update(0);
        assertArrayEquals(new float[] {1f + 0.9f * 10f, -2f, 4f + 0.9f * -4f}, average.state().get(0).toArray(), 1e-6f);

        // t = 8: (1 + 8) / (10 + 8) = 0.5 = decay; from then on d is the decay itself
        assertEquals(0.5f, average.effectiveDecay(8));
        assertEquals(0.5f, average.effectiveDecay(1_000_000));
        assertEquals(2f / 11, average.effectiveDecay(1), 1e-7f);
        float[] before = average.state().get(0).toArray();
        w.copyFrom(Tensor.of(new float[] {0f, 0f, 0f}, 3));
        average.update(100);
        for (int i = 0; i < 3; i++) {
            assertEquals(before[i] + 0.5f * (0f - before[i]), average.state().get(0).at(i));
        }
    }

    /** An average that has reached the weights stays there exactly, whatever the decay. */
    @Test
    void anAverageEqualToTheWeightsDoesNotMove() {
        Tensor w = Tensor.uniform(5, -3, 3, 37).requireGrad().named("w");
        WeightAverage average = new WeightAverage(List.of(w), 0.9999f);
        for (int t = 0; t < 5; t++) {
            average.update(t);
        }
        assertArrayEquals(w.toArray(), average.state().get(0).toArray());
    }

    /** A parameter big enough to be shared by both cores gets exactly the element-by-element average. */
    @Test
    void aLargeParameterSplitAcrossCoresGetsTheSameAverage() {
        int size = 100_003;
        Tensor w = Tensor.uniform(1, -1, 1, size).requireGrad().named("w");
        float[] expected = w.toArray();
        WeightAverage average = new WeightAverage(List.of(w), 0.99f);
        for (int t = 0; t < 3; t++) {
            w.copyFrom(Tensor.uniform(10 + t, -1, 1, size));
            float rate = 1f - average.effectiveDecay(t);
            for (int i = 0; i < size; i++) {
                expected[i] = expected[i] + rate * (w.at(i) - expected[i]);
            }
            average.update(t);
        }
        assertArrayEquals(expected, average.state().get(0).toArray());
    }

    /** Swapping puts the averages into the parameters, and a second swap puts the weights back. */
    @Test
    void swapExchangesWeightsAndAverages() {
        Tensor big = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 6).requireGrad();
        Tensor view = big.rows(2, 5).named("v"); // a parameter that is a view into a larger array
        WeightAverage average = new WeightAverage(List.of(view), 0.9f);
        view.copyFrom(Tensor.of(new float[] {30, 40, 50}, 3));
        average.update(0); // 3 + 0.9 * 27 = 27.3, ...
        float[] averaged = average.state().get(0).toArray();

        average.swap();
        assertArrayEquals(averaged, view.toArray());
        assertArrayEquals(new float[] {30, 40, 50}, average.state().get(0).toArray());
        assertEquals(1f, big.at(0));
        assertEquals(6f, big.at(5));
        average.swap();
        assertArrayEquals(new float[] {30, 40, 50}, view.toArray());
        assertArrayEquals(averaged, average.state().get(0).toArray());
    }

    @Test
    void refusesADecayOutsideTheOpenInterval() {
        Tensor w = Tensor.zeros(2).requireGrad().named("w");
        for (float decay : new float[] {0f, 1f, -0.5f, Float.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> new WeightAverage(List.of(w), decay));
        }
    }
}
