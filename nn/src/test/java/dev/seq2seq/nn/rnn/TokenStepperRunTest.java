package dev.seq2seq.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.nn.WeightPrecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link TokenStepper#run}: the states of calling {@link TokenStepper#step} once per step, to the
 * bit, whether the units' ranges run in lockstep on their own threads (as many ranges as kernel
 * threads) or one step at a time (more ranges than threads); tokens chosen from the state, as a
 * greedy decoder chooses them; rows that end early keep their state.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TokenStepperRunTest {
    private static final int INPUTS = 5;
    private static final int UNITS = 37; // ranges of 19 and 18 units, or 13, 12 and 12
    private static final int STEPS = 9;

    /** A greedy-like choice from h [B, H]: each row's token from the index of its largest unit. */
    private static int[] chosenFrom(Tensor h) {
        int[] tokens = new int[h.dim(0)];
        for (int b = 0; b < tokens.length; b++) {
            tokens[b] = (h.argmaxInRow(b, 0, h.dim(1)) + b) % INPUTS;
        }
        return tokens;
    }

    /** Step t's tokens: 1 (a start marker) first, then chosen from h; none after STEPS steps. */
    private static int[] tokensAt(int t, Tensor h) {
        if (t == STEPS) {
            return null;
        }
        return t == 0 ? new int[h.dim(0)] : chosenFrom(h);
    }

    private static <S extends RecurrentState> void assertSameStates(S expected, S actual, String what) {
        Tensor[] e = expected.tensors();
        Tensor[] a = actual.tensors();
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) {
            assertArrayEquals(e[i].toArray(), a[i].toArray(), what + ", state tensor " + i);
        }
    }

    /** The run against step after step, with the tokens chosen from h, for one layer and precision. */
    private static <S extends RecurrentState> void runEqualsSteps(GatedRecurrentLayer<S> layer, S start, int ranges,
                                                                  WeightPrecision precision, int[] lengths) {
        TokenStepper<S> stepper = new UnitSplitStepper<>(layer, ranges, precision);
        S stepped = start;
        List<int[]> fed = new ArrayList<>();
        for (int t = 0; ; t++) {
            int[] tokens = tokensAt(t, stepped.h());
            if (tokens == null) {
                break;
            }
            fed.add(tokens);
            stepped = lengths == null ? stepper.step(stepped, tokens) : stepper.step(stepped, tokens, lengths, t);
        }
        Map<Integer, Thread> threadOfPart = new ConcurrentHashMap<>();
        List<int[]> fedInRun = new ArrayList<>();
        S run = stepper.run(start, lengths, part -> (t, h) -> {
            threadOfPart.put(part, Thread.currentThread());
            int[] tokens = tokensAt(t, h);
            if (part == 0 && tokens != null) {
                fedInRun.add(tokens);
            }
            return tokens;
        });
        String what = layer.getClass().getSimpleName() + ", " + ranges + " ranges, " + precision;
        assertSameStates(stepped, run, what);
        assertEquals(fed.size(), fedInRun.size(), what);
        for (int t = 0; t < fed.size(); t++) {
            assertArrayEquals(fed.get(t), fedInRun.get(t), what + ", tokens of step " + t);
        }
        int threads = Backend.kernels().threads();
        if (ranges == threads && threads > 1 && (start.batchSize() <= TokenStepper.MAX_ROWS
                || precision == WeightPrecision.BF16)) {
            // in lockstep: every range chose its tokens itself, each on a thread of its own
            assertEquals(ranges, threadOfPart.size(), what);
            assertNotEquals(threadOfPart.get(0), threadOfPart.get(1), what);
        } else {
            assertEquals(1, threadOfPart.size(), what + ": one step at a time, part 0's tokens only");
        }
    }

    @ParameterizedTest(name = "{0} ranges, batch {1}, {2}")
    @CsvSource({"2,1,FLOAT32", "2,3,FLOAT32", "2,2,BF16", "2,5,BF16", "3,1,FLOAT32", "2,5,FLOAT32"})
    void aRunGivesTheStatesOfOneStepAtATime(int ranges, int batch, WeightPrecision precision) {
        LSTM lstm = new LSTM("lstm", INPUTS, UNITS, 41);
        lstm.bias().copyFrom(Tensor.uniform(42, -0.5f, 0.5f, 4 * UNITS));
        GRU gru = new GRU("gru", INPUTS, UNITS, 43);
        gru.bias().copyFrom(Tensor.uniform(44, -0.5f, 0.5f, 2, 3 * UNITS));
        runEqualsSteps(lstm, new LSTMState(Tensor.uniform(45, -1, 1, batch, UNITS),
                Tensor.uniform(46, -1, 1, batch, UNITS)), ranges, precision, null);
        runEqualsSteps(gru, new GRUState(Tensor.uniform(47, -1, 1, batch, UNITS)), ranges, precision, null);
    }

    @Test
    void rowsThatEndEarlyKeepTheirStateThroughARun() {
        LSTM lstm = new LSTM("lstm", INPUTS, UNITS, 48);
        GRU gru = new GRU("gru", INPUTS, UNITS, 49);
        int[] lengths = {STEPS, 2, 5};
        runEqualsSteps(lstm, LSTMState.zeros(3, UNITS), 2, WeightPrecision.FLOAT32, lengths);
        runEqualsSteps(gru, GRUState.zeros(3, UNITS), 2, WeightPrecision.FLOAT32, lengths);
    }

    @Test
    void aRunWithNoStepsReturnsTheStateItStartedFrom() {
        LSTM lstm = new LSTM("lstm", INPUTS, UNITS, 50);
        LSTMState start = LSTMState.zeros(1, UNITS);
        assertSame(start, new UnitSplitStepper<>(lstm, 2, WeightPrecision.FLOAT32).run(start, null,
                part -> (t, h) -> null));
    }

    @Test
    void aBadTokenInARunIsNamedAndNothingWaitsForEver() {
        LSTM lstm = new LSTM("decoder", INPUTS, UNITS, 51);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> new UnitSplitStepper<>(lstm, 2, WeightPrecision.FLOAT32).run(LSTMState.zeros(1, UNITS), null,
                        part -> (t, h) -> t < 3 ? new int[] {t == 2 ? INPUTS : 1} : null));
        assertTrue(e.getMessage().contains("decoder") && e.getMessage().contains("token " + INPUTS), e.getMessage());
    }
}
