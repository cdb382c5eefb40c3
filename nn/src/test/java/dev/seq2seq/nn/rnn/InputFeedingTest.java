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
}
