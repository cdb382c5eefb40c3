package dev.seq2seq.nn.rnn;

import static dev.seq2seq.engine.GradCheck.check;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.ShapeOps;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Central-difference checks of the fused LSTM and GRU: the whole output (outputs, final h, final
 * c) against every weight, the inputs and the initial state; with and without padding; T = 1 and
 * batch = 1 as edge cases.
 */
class RecurrentGradientTest {
    private static final int INPUTS = 3;
    private static final int UNITS = 4;

    /** lengths given as "3;1;0" (empty: no padding). */
    private static int[] lengths(String text, int batch) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String[] parts = text.split(";");
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = Integer.parseInt(parts[b].trim());
        }
        return lengths;
    }

    /** Everything the layer returns, side by side: outputs as [B, T*H], then the final state parts. */
    private static Tensor concatenated(SequenceResult<?> result, Tensor... states) {
        int steps = result.outputs().dim(0);
        int batch = result.outputs().dim(1);
        Tensor[] parts = new Tensor[states.length + 1];
        parts[0] = result.outputs().view(batch, steps * UNITS);
        System.arraycopy(states, 0, parts, 1, states.length);
        return ShapeOps.concatColumns(parts);
    }

    @ParameterizedTest(name = "LSTM T={0} B={1} lengths={2}")
    @CsvSource({"3,2,", "1,2,", "4,1,", "4,3,4;2;0", "1,1,1"})
    void lstm(int steps, int batch, String lengthText) {
        LSTM lstm = new LSTM("lstm", INPUTS, UNITS, 7);
        Tensor x = Tensor.uniform(1, -1, 1, steps, batch, INPUTS).requireGrad();
        Tensor h0 = Tensor.uniform(2, -1, 1, batch, UNITS).requireGrad();
        Tensor c0 = Tensor.uniform(3, -1, 1, batch, UNITS).requireGrad();
        int[] lengths = lengths(lengthText, batch);
        check("LSTM", () -> {
            SequenceResult<LSTMState> result = lstm.forward(x, lengths, new LSTMState(h0, c0));
            return concatenated(result, result.state().h(), result.state().c());
        }, x, h0, c0, lstm.kernel(), lstm.recurrentKernel(), lstm.bias());
    }

    @ParameterizedTest(name = "GRU T={0} B={1} lengths={2}")
    @CsvSource({"3,2,", "1,2,", "4,1,", "4,3,4;2;0", "1,1,1"})
    void gru(int steps, int batch, String lengthText) {
        GRU gru = new GRU("gru", INPUTS, UNITS, 8);
        gru.bias().copyFrom(Tensor.uniform(4, -0.5f, 0.5f, 2, 3 * UNITS)); // non-zero, so both rows matter
        Tensor x = Tensor.uniform(5, -1, 1, steps, batch, INPUTS).requireGrad();
        Tensor h0 = Tensor.uniform(6, -1, 1, batch, UNITS).requireGrad();
        int[] lengths = lengths(lengthText, batch);
        check("GRU", () -> {
            SequenceResult<GRUState> result = gru.forward(x, lengths, new GRUState(h0));
            return concatenated(result, result.state().h());
        }, x, h0, gru.kernel(), gru.recurrentKernel(), gru.bias());
    }

    @ParameterizedTest(name = "token inputs, T={0}")
    @CsvSource({"1", "3"})
    void tokenInputsReachTheKernelRows(int steps) {
        int batch = 2;
        int[] tokens = new int[steps * batch];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 2 + 1) % INPUTS;
        }
        LSTM lstm = new LSTM("lstm", INPUTS, UNITS, 9);
        check("LSTM tokens", () -> lstm.forwardTokens(tokens, steps, null, null).outputs(),
                lstm.kernel(), lstm.recurrentKernel(), lstm.bias());
        GRU gru = new GRU("gru", INPUTS, UNITS, 10);
        check("GRU tokens", () -> gru.forwardTokens(tokens, steps, null, null).outputs(),
                gru.kernel(), gru.recurrentKernel(), gru.bias());
    }
}
