package dev.seq2seq.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.nn.WeightPrecision;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A stepper with bf16 panels computes what the layer's own step computes over its recurrent
 * kernel rounded to bf16: to the bit on the vector backend (both sum one FMA per row of U, in
 * order), within float32 rounding on the scalar one (whose float32 product rounds a * b before
 * adding). And it is not the float32 stepper: the rounding shows.
 */
class Bf16StepperTest {
    static final int STEPS = 6;
    static final int INPUTS = 5;
    static final int UNITS = 37;

    @ParameterizedTest(name = "{0} ranges, batch {1}")
    @CsvSource({"1,1", "2,1", "3,2", "2,3", "2,5"})
    void bf16PanelsComputeTheLayerOverRoundedWeights(int ranges, int batch) {
        try (Tape.Scope ignored = Tape.pause()) {
            check(lstm(), lstm(), ranges, batch, 40);
            check(gru(), gru(), ranges, batch, 41);
        }
    }

    private static LSTM lstm() {
        LSTM lstm = new LSTM("lstm", INPUTS, UNITS, 28);
        lstm.bias().copyFrom(Tensor.uniform(29, -0.5f, 0.5f, 4 * UNITS));
        return lstm;
    }

    private static GRU gru() {
        GRU gru = new GRU("gru", INPUTS, UNITS, 30);
        gru.bias().copyFrom(Tensor.uniform(31, -0.5f, 0.5f, 2, 3 * UNITS));
        return gru;
    }

    private static <S extends RecurrentState> void check(GatedRecurrentLayer<S> layer, GatedRecurrentLayer<S> rounded,
                                                         int ranges, int batch, long seed) {
        WeightPrecision.BF16.roundInPlace(rounded.recurrentKernel());
        TokenStepper<S> bf16 = new UnitSplitStepper<>(layer, ranges, WeightPrecision.BF16);
        TokenStepper<S> float32 = new UnitSplitStepper<>(layer, ranges, WeightPrecision.FLOAT32);
        S start = stateOf(layer, batch, seed);
        S fast = start;
        S reference = start;
        S unrounded = start;
        boolean vector = Backend.kernels().name().startsWith("vector");
        for (int t = 0; t < STEPS; t++) {
            int[] tokens = new int[batch];
            for (int b = 0; b < batch; b++) {
                tokens[b] = (t * batch + 2 * b + 1) % INPUTS;
            }
            fast = bf16.step(fast, tokens);
            reference = rounded.stepTokens(reference, tokens);
            unrounded = float32.step(unrounded, tokens);
            for (int i = 0; i < fast.tensors().length; i++) {
                float[] expected = reference.tensors()[i].toArray();
                float[] actual = fast.tensors()[i].toArray();
                String what = layer.name() + " state tensor " + i + " at step " + t;
                if (vector) {
                    assertArrayEquals(expected, actual, what);
                } else {
                    assertArrayEquals(expected, actual, 1e-5f, what);
                }
            }
        }
        assertFalse(Arrays.equals(unrounded.h().toArray(), fast.h().toArray()),
                layer.name() + ": the bf16 stepper gave the float32 stepper's h");
    }

    @SuppressWarnings("unchecked")
    private static <S extends RecurrentState> S stateOf(GatedRecurrentLayer<S> layer, int batch, long seed) {
        Tensor h = Tensor.uniform(seed, -1, 1, batch, UNITS);
        return (S) (layer instanceof LSTM ? new LSTMState(h, Tensor.uniform(seed + 1, -1, 1, batch, UNITS))
                : new GRUState(h));
    }
}
