package dev.seq2seq.nn.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.Tape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code AttentionOps.dotAttention} against the three ops it fuses (dotScores, maskedSoftmax,
 * weightedSum), to the bit: the context, the weights, and the gradients of the query, the keys
 * and the values, from a loss that reads both the context and the weights. With the keys and the
 * values one tensor (as the dot and general scores have them) and two of different depths; with
 * padded sources and without; over batches of 1, 5 (one part), 17 and 64 (shared out among the
 * threads when there are several). The gradient checks by central differences run through
 * {@code GlobalAttention} (GlobalAttentionTest).
 */
class AttentionOpsTest {
    private static final int STEPS = 6;
    private static final int DEPTH = 20;
    private static final int VALUE_DEPTH = 13;

    /** Context, weights, then the gradients of query, keys and values (values' only when apart). */
    private static List<float[]> run(boolean fused, Tensor query, Tensor keys, Tensor values, int[] lengths) {
        for (Tensor input : new Tensor[] {query, keys, values}) {
            input.zeroGrad();
        }
        int batch = query.dim(0);
        Tensor context;
        Tensor weights;
        Tape tape = new Tape();
        try (Tape.Scope ignored = tape.activate()) {
            if (fused) {
                AttentionOps.Attended attended = AttentionOps.dotAttention(query, keys, values, STEPS, lengths);
                context = attended.context();
                weights = attended.weights();
            } else {
                weights = AttentionOps.maskedSoftmax(AttentionOps.dotScores(query, keys, STEPS, lengths), lengths);
                context = AttentionOps.weightedSum(weights, values, STEPS);
            }
            Tensor contextSeed = Tensor.uniform(41, -1, 1, batch, values.dim(1));
            Tensor weightSeed = Tensor.uniform(42, -1, 1, batch, STEPS);
            tape.backward(MatrixOps.add(MatrixOps.sum(MatrixOps.mul(context, contextSeed)),
                    MatrixOps.sum(MatrixOps.mul(weights, weightSeed))));
        }
        List<float[]> results = new ArrayList<>(List.of(context.toArray(), weights.toArray(), query.grad().toArray(),
                keys.grad().toArray()));
        if (values != keys) {
            results.add(values.grad().toArray());
        }
        return results;
    }

    private static void sameAsTheThreeOps(int batch, boolean shared, int[] lengths, String what) {
        Tensor query = Tensor.uniform(31, -1, 1, batch, DEPTH).requireGrad();
        Tensor keys = Tensor.uniform(32, -1, 1, STEPS * batch, DEPTH).requireGrad();
        Tensor values = shared ? keys : Tensor.uniform(33, -1, 1, STEPS * batch, VALUE_DEPTH).requireGrad();
        List<float[]> composed = run(false, query, keys, values, lengths);
        List<float[]> fused = run(true, query, keys, values, lengths);
        String[] names = {"context", "weights", "dq", shared ? "dK (= dV)" : "dK", "dV"};
        for (int i = 0; i < composed.size(); i++) {
            assertArrayEquals(composed.get(i), fused.get(i), what + ": " + names[i]);
        }
        boolean anyGradient = false;
        for (float g : fused.get(2)) {
            anyGradient |= g != 0;
        }
        assertTrue(anyGradient, what + ": the query got a gradient");
    }

    @Test
    void givesTheThreeOpsBitsForwardAndBackward() {
        for (int batch : new int[] {1, 5, 17, 64}) {
            int[] lengths = new int[batch];
            for (int b = 0; b < batch; b++) {
                lengths[b] = 1 + (b * 5 + 2) % STEPS;
            }
            for (boolean shared : new boolean[] {true, false}) {
                for (int[] sourceLengths : new int[][] {null, lengths}) {
                    sameAsTheThreeOps(batch, shared, sourceLengths, "batch " + batch + (shared ? ", K = V" : ", K, V")
                            + (sourceLengths == null ? ", no padding" : ", padded"));
                }
            }
        }
    }

    @Test
    void memoryOfTheWrongShapeIsNamed() {
        Tensor query = Tensor.uniform(1, -1, 1, 3, DEPTH);
        Tensor keys = Tensor.uniform(2, -1, 1, STEPS * 3, DEPTH);
        IllegalArgumentException wrongValues = assertThrows(IllegalArgumentException.class,
                () -> AttentionOps.dotAttention(query, keys, Tensor.uniform(3, -1, 1, STEPS * 2, DEPTH), STEPS, null));
        assertTrue(wrongValues.getMessage().startsWith("dotAttention: memory is"), wrongValues.getMessage());
        IllegalArgumentException wrongLength = assertThrows(IllegalArgumentException.class,
                () -> AttentionOps.dotAttention(query, keys, keys, STEPS, new int[] {1, STEPS + 1, 2}));
        assertTrue(wrongLength.getMessage().contains("sentence 1 has length 7"), wrongLength.getMessage());
    }
}
