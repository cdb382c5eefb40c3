package dev.seq2seq.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.ParallelKernels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A recurrent layer over token inputs gives the same bits on one kernel thread and on all of them:
 * its outputs, its final state and every weight's gradient, with and without padding. The sizes
 * are large enough for every split the threads make: row groups (batch 64), dU's columns cut
 * between the threads (at least 64 columns each), and the pieces of the input projection's
 * backward (the token rows' scatter-add, the biases' sums) run by different threads beside them.
 */
class ThreadCountTest {
    private static final int STEPS = 12;
    private static final int BATCH = 64;
    private static final int VOCABULARY = 23;
    private static final int UNITS = 48;

    /** Everything one forward and backward computes, in a fixed order. */
    private static <S extends RecurrentState> List<float[]> run(GatedRecurrentLayer<S> layer, int[] tokens,
                                                                int[] lengths) {
        layer.parameters().forEach(Tensor::zeroGrad);
        List<float[]> results = new ArrayList<>();
        Tape tape = new Tape();
        try (Tape.Scope ignored = tape.activate()) {
            SequenceResult<S> result = layer.forwardTokens(tokens, STEPS, lengths, null);
            Tensor weights = Tensor.uniform(71, -1, 1, STEPS, BATCH, UNITS);
            Tensor loss = MatrixOps.sum(MatrixOps.mul(result.outputs(), weights));
            for (Tensor state : result.state().tensors()) {
                loss = MatrixOps.add(loss, MatrixOps.sum(MatrixOps.mul(state, state)));
                results.add(state.toArray());
            }
            tape.backward(loss);
            results.add(result.outputs().toArray());
        }
        for (Tensor parameter : layer.parameters()) {
            results.add(parameter.grad().toArray());
        }
        return results;
    }

    private static void assertSameBitsOnOneThreadAndOnAll(GatedRecurrentLayer<?> layer) {
        ParallelKernels kernels = Backend.kernels();
        assumeTrue(kernels.threads() >= 2, "needs at least two kernel threads");
        int[] tokens = new int[STEPS * BATCH];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 7 + i / 5) % VOCABULARY; // tokens repeat within a step and across steps
        }
        int[] lengths = new int[BATCH];
        for (int b = 0; b < BATCH; b++) {
            lengths[b] = 1 + (b * 5) % STEPS;
        }
        for (int[] rowLengths : new int[][] {null, lengths}) {
            List<float[]> oneThread;
            try (ParallelKernels.ThreadLimit ignored = kernels.limitThreads(1)) {
                oneThread = run(layer, tokens, rowLengths);
            }
            List<float[]> allThreads = run(layer, tokens, rowLengths);
            String padding = rowLengths == null ? "no padding" : "padded rows";
            for (int i = 0; i < oneThread.size(); i++) {
                assertArrayEquals(oneThread.get(i), allThreads.get(i), layer.name() + ", " + padding + ": result " + i
                        + " (final state, outputs, then the gradients of " + layer.parameters().stream()
                        .map(Tensor::name).toList() + ")");
            }
        }
    }

    @Test
    void anLstmGivesTheSameBitsOnOneThreadAndOnAll() {
        assertSameBitsOnOneThreadAndOnAll(new LSTM("lstm", VOCABULARY, UNITS, 70));
    }

    @Test
    void aGruGivesTheSameBitsOnOneThreadAndOnAll() {
        GRU gru = new GRU("gru", VOCABULARY, UNITS, 72);
        gru.bias().copyFrom(Tensor.uniform(73, -0.5f, 0.5f, 2, 3 * UNITS));
        assertSameBitsOnOneThreadAndOnAll(gru);
    }
}
