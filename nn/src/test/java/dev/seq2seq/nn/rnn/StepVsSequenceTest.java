package dev.seq2seq.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.Tape;
import java.util.List;
import org.junit.jupiter.api.Test;

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
