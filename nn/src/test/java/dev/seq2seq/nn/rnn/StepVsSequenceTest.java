package dev.seq2seq.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.nn.WeightPrecision;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The invariant training plus greedy decoding rely on: stepping one time step at a time with a
 * carried state gives the same outputs (bit for bit) and the same gradients as one whole-sequence
 * call.
 */
class StepVsSequenceTest {
    static final int STEPS = 6;
    static final int BATCH = 3;
    static final int INPUTS = 5;
    static final int UNITS = 7;

    private static float[][] lossAndGradients(Tensor[] outputs, List<Tensor> parameters, Tape tape) {
        Tensor total = null;
        for (int t = 0; t < outputs.length; t++) {
            Tensor weighted = MatrixOps.sum(MatrixOps.mul(outputs[t], Tensor.uniform(40 + t, -1, 1, BATCH, UNITS)));
            total = total == null ? weighted : MatrixOps.add(total, weighted);
        }
        tape.backward(total);
        float[][] result = new float[parameters.size()][];
        for (int p = 0; p < parameters.size(); p++) {
            result[p] = parameters.get(p).grad().toArray();
        }
        return result;
    }

    private static void assertGradientsClose(float[][] expected, float[][] actual) {
        for (int p = 0; p < expected.length; p++) {
            // The weight gradients sum the same terms in another order (one product over all steps vs
            // one per step), hence a tolerance rather than equality.
            assertArrayEquals(expected[p], actual[p], 1e-5f, "gradient of parameter " + p);
        }
    }

    @Test
    void lstmStepByStepEqualsWholeSequence() {
        LSTM lstm = new LSTM("lstm", INPUTS, UNITS, 11);
        Tensor x = Tensor.uniform(12, -1, 1, STEPS, BATCH, INPUTS);
        LSTMState initial = new LSTMState(Tensor.uniform(13, -1, 1, BATCH, UNITS), Tensor.uniform(14, -1, 1, BATCH, UNITS));

        Tape tape = new Tape();
        Tensor[] whole = new Tensor[STEPS];
        float[][] wholeGradients;
        try (Tape.Scope ignored = tape.activate()) {
            Tensor outputs = lstm.forward(x, null, initial).outputs();
            for (int t = 0; t < STEPS; t++) {
                whole[t] = outputs.row(t);
            }
            wholeGradients = lossAndGradients(whole, lstm.parameters(), tape);
        }
        lstm.parameters().forEach(Tensor::zeroGrad);
        Tape stepTape = new Tape();
        Tensor[] stepped = new Tensor[STEPS];
        float[][] stepGradients;
        try (Tape.Scope ignored = stepTape.activate()) {
            LSTMState state = initial;
            for (int t = 0; t < STEPS; t++) {
                state = lstm.step(state, x.row(t));
                stepped[t] = state.h();
            }
            stepGradients = lossAndGradients(stepped, lstm.parameters(), stepTape);
        }
        for (int t = 0; t < STEPS; t++) {
            assertArrayEquals(whole[t].toArray(), stepped[t].toArray(), "output at step " + t);
        }
        assertGradientsClose(wholeGradients, stepGradients);
    }

    @Test
    void gruStepByStepEqualsWholeSequence() {
        GRU gru = new GRU("gru", INPUTS, UNITS, 15);
        gru.bias().copyFrom(Tensor.uniform(16, -0.5f, 0.5f, 2, 3 * UNITS));
        int[] tokens = new int[STEPS * BATCH];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 3 + 1) % INPUTS;
        }
        Tape tape = new Tape();
        Tensor[] whole = new Tensor[STEPS];
        float[][] wholeGradients;
        try (Tape.Scope ignored = tape.activate()) {
            Tensor outputs = gru.forwardTokens(tokens, STEPS, null, null).outputs();
            for (int t = 0; t < STEPS; t++) {
                whole[t] = outputs.row(t);
            }
            wholeGradients = lossAndGradients(whole, gru.parameters(), tape);
        }
        gru.parameters().forEach(Tensor::zeroGrad);
        Tape stepTape = new Tape();
        Tensor[] stepped = new Tensor[STEPS];
        float[][] stepGradients;
        try (Tape.Scope ignored = stepTape.activate()) {
            GRUState state = GRUState.zeros(BATCH, UNITS);
            for (int t = 0; t < STEPS; t++) {
                state = gru.stepTokens(state, java.util.Arrays.copyOfRange(tokens, t * BATCH, (t + 1) * BATCH));
                stepped[t] = state.h();
            }
            stepGradients = lossAndGradients(stepped, gru.parameters(), stepTape);
        }
        for (int t = 0; t < STEPS; t++) {
            assertArrayEquals(whole[t].toArray(), stepped[t].toArray(), "output at step " + t);
        }
        assertGradientsClose(wholeGradients, stepGradients);
    }

    /** Token ids for a batch at step t, covering the whole vocabulary over the steps. */
    private static int[] tokensAt(int t, int batch) {
        int[] tokens = new int[batch];
        for (int b = 0; b < batch; b++) {
            tokens[b] = (t * batch + b * 2 + 1) % INPUTS;
        }
        return tokens;
    }

    /**
     * Decoding's step (no tape: the tape-free inference path) against the sequence op run one step
     * at a time under a tape (the training path): the same numbers, bit for bit. Batch 40 is cut
     * into one group of rows per core (with two or more threads), batch 3 is not.
     */
    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {3, 40})
    void inferenceStepsEqualTheSequenceOp(int batch) {
        LSTM lstm = new LSTM("lstm", INPUTS, UNITS, 21);
        GRU gru = new GRU("gru", INPUTS, UNITS, 22);
        gru.bias().copyFrom(Tensor.uniform(23, -0.5f, 0.5f, 2, 3 * UNITS));
        LSTMState lstmFast = new LSTMState(Tensor.uniform(24, -1, 1, batch, UNITS), Tensor.uniform(25, -1, 1, batch, UNITS));
        LSTMState lstmOp = lstmFast;
        GRUState gruFast = new GRUState(Tensor.uniform(26, -1, 1, batch, UNITS));
        GRUState gruOp = gruFast;
        for (int t = 0; t < STEPS; t++) {
            int[] tokens = tokensAt(t, batch);
            lstmFast = lstm.stepTokens(lstmFast, tokens);
            gruFast = gru.stepTokens(gruFast, tokens);
            try (Tape.Scope ignored = new Tape().activate()) {
                lstmOp = lstm.forwardTokens(tokens, 1, null, lstmOp).state();
                gruOp = gru.forwardTokens(tokens, 1, null, gruOp).state();
            }
            assertArrayEquals(lstmOp.h().toArray(), lstmFast.h().toArray(), "LSTM h at step " + t);
            assertArrayEquals(lstmOp.c().toArray(), lstmFast.c().toArray(), "LSTM c at step " + t);
            assertArrayEquals(gruOp.h().toArray(), gruFast.h().toArray(), "GRU h at step " + t);
        }
    }

    /**
     * The token stepper (units cut into ranges with their own panels of U) against the layer's
     * step, bit for bit, with 1, 2 and 3 ranges over 7 units (uneven ranges) and batches of 1 to 3
     * rows, and batch 5, which the stepper hands to the layer.
     */
    @ParameterizedTest(name = "{0} ranges, batch {1}")
    @CsvSource({"1,1", "2,1", "3,1", "2,2", "3,3", "2,5"})
    void tokenStepperEqualsTheLayersStep(int ranges, int batch) {
        LSTM lstm = new LSTM("lstm", INPUTS, UNITS, 28);
        lstm.bias().copyFrom(Tensor.uniform(29, -0.5f, 0.5f, 4 * UNITS));
        GRU gru = new GRU("gru", INPUTS, UNITS, 30);
        gru.bias().copyFrom(Tensor.uniform(31, -0.5f, 0.5f, 2, 3 * UNITS));
        TokenStepper<LSTMState> lstmStepper = new UnitSplitStepper<>(lstm, ranges, WeightPrecision.FLOAT32);
        TokenStepper<GRUState> gruStepper = new UnitSplitStepper<>(gru, ranges, WeightPrecision.FLOAT32);
        LSTMState lstmFast = new LSTMState(Tensor.uniform(32, -1, 1, batch, UNITS), Tensor.uniform(33, -1, 1, batch, UNITS));
        LSTMState lstmLayer = lstmFast;
        GRUState gruFast = new GRUState(Tensor.uniform(34, -1, 1, batch, UNITS));
        GRUState gruLayer = gruFast;
        for (int t = 0; t < STEPS; t++) {
            int[] tokens = tokensAt(t, batch);
            lstmFast = lstmStepper.step(lstmFast, tokens);
            lstmLayer = lstm.stepTokens(lstmLayer, tokens);
            gruFast = gruStepper.step(gruFast, tokens);
            gruLayer = gru.stepTokens(gruLayer, tokens);
            assertArrayEquals(lstmLayer.h().toArray(), lstmFast.h().toArray(), "LSTM h at step " + t);
            assertArrayEquals(lstmLayer.c().toArray(), lstmFast.c().toArray(), "LSTM c at step " + t);
            assertArrayEquals(gruLayer.h().toArray(), gruFast.h().toArray(), "GRU h at step " + t);
        }
    }

    @Test
    void aTokenStepperNamesABadToken() {
        LSTM lstm = new LSTM("decoder", INPUTS, UNITS, 35);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> lstm.tokenStepper().step(LSTMState.zeros(1, UNITS), new int[] {-1}));
        assertTrue(e.getMessage().contains("decoder") && e.getMessage().contains("token -1"), e.getMessage());
    }

    @Test
    void anInferenceStepNamesABadToken() {
        LSTM lstm = new LSTM("decoder", INPUTS, UNITS, 27);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> lstm.stepTokens(LSTMState.zeros(BATCH, UNITS), new int[] {0, INPUTS, 1}));
        assertTrue(e.getMessage().contains("decoder") && e.getMessage().contains("token " + INPUTS)
                && e.getMessage().contains("position 1"), e.getMessage());
    }

    @Test
    void aStepLeavesTheGivenStateUntouched() {
        LSTM lstm = new LSTM("lstm", INPUTS, UNITS, 17);
        LSTMState state = new LSTMState(Tensor.uniform(18, -1, 1, BATCH, UNITS), Tensor.uniform(19, -1, 1, BATCH, UNITS));
        float[] h = state.h().toArray();
        float[] c = state.c().toArray();
        LSTMState next = lstm.step(state, Tensor.uniform(20, -1, 1, BATCH, INPUTS));
        assertArrayEquals(h, state.h().toArray());
        assertArrayEquals(c, state.c().toArray());
        assertArrayEquals(next.h().toArray(), lstm.step(state, Tensor.uniform(20, -1, 1, BATCH, INPUTS)).h().toArray());
    }
}
