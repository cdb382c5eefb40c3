package dev.seq2seq.nn.rnn;

import static dev.seq2seq.engine.GradCheck.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.ShapeOps;
import dev.seq2seq.engine.autograd.Tape;
import org.junit.jupiter.api.Test;

/** A step on [onehot(token) ; feed]: against central differences, and against the same step on the dense input. */
class InputFeedingTest {
    private static final int TOKENS = 5;
    private static final int FEATURES = 3;
    private static final int UNITS = 4;

    @Test
    void lstmAndGruStepsWithFeedMatchCentralDifferences() {
        int[] tokens = {1, 4, 0};
        Tensor feed = Tensor.uniform(1, -1, 1, 3, FEATURES).requireGrad();
        Tensor h = Tensor.uniform(2, -1, 1, 3, UNITS).requireGrad();
        Tensor c = Tensor.uniform(3, -1, 1, 3, UNITS).requireGrad();
        LSTM lstm = new LSTM("lstm", TOKENS + FEATURES, UNITS, 4);
        check("LSTM step with feed", () -> lstm.stepWithFeed(new LSTMState(h, c), tokens, feed).h(), feed, h, c,
                lstm.kernel(), lstm.recurrentKernel(), lstm.bias());
        GRU gru = new GRU("gru", TOKENS + FEATURES, UNITS, 5);
        check("GRU step with feed", () -> gru.stepWithFeed(new GRUState(h), tokens, feed).h(), feed, h,
                gru.kernel(), gru.recurrentKernel(), gru.bias());
    }

    @Test
    void itIsTheStepOnTheOneHotTokenBesideTheFeed() {
        LSTM lstm = new LSTM("lstm", TOKENS + FEATURES, UNITS, 6);
        int[] tokens = {2, 0};
        Tensor feed = Tensor.uniform(7, -1, 1, 2, FEATURES);
        LSTMState state = new LSTMState(Tensor.uniform(8, -1, 1, 2, UNITS), Tensor.uniform(9, -1, 1, 2, UNITS));
        float[] oneHot = new float[2 * TOKENS];
        for (int r = 0; r < 2; r++) {
            oneHot[r * TOKENS + tokens[r]] = 1;
        }
        try (Tape.Scope ignored = Tape.pause()) {
            Tensor dense = ShapeOps.concatColumns(Tensor.of(oneHot, 2, TOKENS), feed);
            assertArrayEquals(lstm.step(state, dense).h().toArray(), lstm.stepWithFeed(state, tokens, feed).h().toArray(),
                    1e-6f);
        }
        assertThrows(IllegalArgumentException.class, () -> lstm.stepWithFeed(state, new int[] {5, 0}, feed),
                "a token id among the feed's rows");
    }

    /** Dense leading inputs projected for all steps at once, then a step with the feed: central differences. */
    @Test
    void stepsOnAProjectionTakenBeforehandMatchCentralDifferences() {
        // two steps of a batch of 3 share one projection of their leading inputs [2 * 3, TOKENS]
        Tensor x = Tensor.uniform(11, -1, 1, 6, TOKENS).requireGrad();
        Tensor feed = Tensor.uniform(12, -1, 1, 3, FEATURES).requireGrad();
        Tensor h = Tensor.uniform(13, -1, 1, 3, UNITS).requireGrad();
        Tensor c = Tensor.uniform(14, -1, 1, 3, UNITS).requireGrad();
        LSTM lstm = new LSTM("lstm", TOKENS + FEATURES, UNITS, 15);
        check("LSTM steps on a projection", () -> {
            Tensor projection = lstm.projectLeadingInputs(x);
            LSTMState first = lstm.stepWithProjection(new LSTMState(h, c), projection.rows(0, 3), feed);
            return lstm.stepWithProjection(first, projection.rows(3, 6), first.h()).h();
        }, x, feed, h, c, lstm.kernel(), lstm.recurrentKernel(), lstm.bias());
        GRU gru = new GRU("gru", TOKENS + FEATURES, UNITS, 16);
        check("GRU steps on a projection", () -> {
            Tensor projection = gru.projectLeadingInputs(x);
            GRUState first = gru.stepWithProjection(new GRUState(h), projection.rows(0, 3), feed);
            return gru.stepWithProjection(first, projection.rows(3, 6), first.h()).h();
        }, x, feed, h, gru.kernel(), gru.recurrentKernel(), gru.bias());
    }

    @Test
    void itIsTheStepOnTheLeadingInputsBesideTheFeed() {
        GRU gru = new GRU("gru", TOKENS + FEATURES, UNITS, 17);
        Tensor x = Tensor.uniform(18, -1, 1, 2, TOKENS);
        Tensor feed = Tensor.uniform(19, -1, 1, 2, FEATURES);
        GRUState state = new GRUState(Tensor.uniform(20, -1, 1, 2, UNITS));
        try (Tape.Scope ignored = Tape.pause()) {
            assertArrayEquals(gru.step(state, ShapeOps.concatColumns(x, feed)).h().toArray(),
                    gru.stepWithProjection(state, gru.projectLeadingInputs(x), feed).h().toArray(), 1e-6f);
        }
        assertThrows(IllegalArgumentException.class, () -> gru.projectLeadingInputs(Tensor.zeros(2, TOKENS + FEATURES)),
                "leading inputs as wide as the whole input");
        assertThrows(IllegalArgumentException.class,
                () -> gru.stepWithProjection(state, Tensor.zeros(2, 3 * UNITS), Tensor.zeros(3, FEATURES)),
                "a feed of another batch");
    }
}
