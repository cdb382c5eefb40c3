package dev.seq2seq.nn.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.ParallelKernels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One attention step gives the same bits on one kernel thread and on all of them: its attentional
 * state, its weights, and the gradients of the decoder state, the encoder outputs and every
 * parameter. The batches are large enough for the dot scores and the weighted sum to share their
 * sentences out (64 sentences, and 17, cut unevenly), with padded sentences and without; the
 * gradient checks run batches too small to be cut.
 */
class AttentionThreadCountTest {
    private static final int STEPS = 7;
    private static final int UNITS = 48;

    /** Everything one step forward and backward computes, in a fixed order. */
    private static List<float[]> run(GlobalAttention attention, Tensor outputs, Tensor state, int[] lengths) {
        outputs.zeroGrad();
        state.zeroGrad();
        attention.parameters().forEach(Tensor::zeroGrad);
        List<float[]> results = new ArrayList<>();
        Tape tape = new Tape();
        try (Tape.Scope ignored = tape.activate()) {
            GlobalAttention.Step step = attention.attend(state, attention.memory(outputs, STEPS, lengths));
            int batch = state.dim(0);
            Tensor seed = Tensor.uniform(91, -1, 1, batch, UNITS);
            Tensor loss = MatrixOps.add(MatrixOps.sum(MatrixOps.mul(step.attentional(), seed)),
                    MatrixOps.sum(MatrixOps.mul(step.weights(), step.weights())));
            tape.backward(loss);
            results.add(step.attentional().toArray());
            results.add(step.weights().toArray());
        }
        results.add(outputs.grad().toArray());
        results.add(state.grad().toArray());
        for (Tensor parameter : attention.parameters()) {
            results.add(parameter.grad().toArray());
        }
        return results;
    }

    @ParameterizedTest
    @EnumSource(GlobalAttention.Score.class)
    void oneStepGivesTheSameBitsOnOneThreadAndOnAll(GlobalAttention.Score score) {
        ParallelKernels kernels = Backend.kernels();
        assumeTrue(kernels.threads() >= 2, "needs at least two kernel threads");
        GlobalAttention attention = new GlobalAttention("attention", score, UNITS, 90);
        for (int batch : new int[] {64, 17}) {
            Tensor outputs = Tensor.uniform(92, -1, 1, STEPS * batch, UNITS).requireGrad();
            Tensor state = Tensor.uniform(93, -1, 1, batch, UNITS).requireGrad();
            int[] lengths = new int[batch];
            for (int b = 0; b < batch; b++) {
                lengths[b] = 1 + (b * 5) % STEPS;
            }
            for (int[] sourceLengths : new int[][] {null, lengths}) {
                List<float[]> oneThread;
                try (ParallelKernels.ThreadLimit ignored = kernels.limitThreads(1)) {
                    oneThread = run(attention, outputs, state, sourceLengths);
                }
                List<float[]> allThreads = run(attention, outputs, state, sourceLengths);
                for (int i = 0; i < oneThread.size(); i++) {
                    assertArrayEquals(oneThread.get(i), allThreads.get(i), score + ", batch " + batch + ", "
                            + (sourceLengths == null ? "no padding" : "padded sources") + ": result " + i
                            + " (attentional state, weights, then the gradients of the outputs, the state and "
                            + attention.parameters().stream().map(Tensor::name).toList() + ")");
                }
            }
        }
    }
}
