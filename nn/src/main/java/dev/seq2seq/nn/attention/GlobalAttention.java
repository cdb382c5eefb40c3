package dev.seq2seq.nn.attention;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.nn.Module;
import dev.seq2seq.nn.init.Initializers;
import java.util.ArrayList;
import java.util.List;

/**
 * Global attention over a source sentence (Luong, Pham and Manning, 2015), for one decoder step.
 * The decoder's state h_t [B, H] looks at the encoder's outputs h_s [S, B, H]:
 *
 * <pre>
 *   score       dot:      e_ts = h_t . h_s
 *               general:  e_ts = h_t W_a . h_s                   W_a [H, H]
 *               additive: e_ts = v . tanh(h_t W_1 + h_s W_2)      W_1, W_2 [H, H], v [H]  (Bahdanau et al., 2015)
 *   weights     a_ts = softmax over s &lt; len of e_ts             exactly 0 at padded positions
 *   context     c_t  = sum_s a_ts h_s                               [B, H]
 *   attentional h~_t = tanh([c_t ; h_t] W_c)                       W_c [2H, H], no bias (as OpenNMT-py's dot and general)
 * </pre>
 *
 * The backward of each line is that of its op: the batched products and the masked softmax in
 * {@link AttentionOps} (their derivatives are written there; for the dot and general scores the
 * three are one op, {@code AttentionOps.dotAttention}), matmul and, for the attentional
 * state, {@code MatrixOps.tanhOfConcatProduct} from the engine, all recorded on the tape. What does not depend on the step (the keys h_s W_2 of the additive
 * score) is computed once per batch in {@link #memory}.
 */
public final class GlobalAttention implements Module {
    /** How a decoder state and a source position are scored. */
    public enum Score { DOT, GENERAL, ADDITIVE }

    private final Score score;
    private final int units;
    private final Tensor scoreKernel;   // W_a (general) or W_1 (additive), [H, H]; null for dot
    private final Tensor memoryKernel;  // W_2 (additive), [H, H]
    private final Tensor scoreVector;   // v (additive), [H]
    private final Tensor outputKernel;  // W_c, [2H, H]

    public GlobalAttention(String name, Score score, int units, long seed) {
        this.score = score;
        this.units = units;
        this.scoreKernel = score == Score.DOT ? null
                : Initializers.glorotUniform(seed, units, units).requireGrad().named(name + "/score_kernel");
        this.memoryKernel = score != Score.ADDITIVE ? null
                : Initializers.glorotUniform(seed + 1, units, units).requireGrad().named(name + "/memory_kernel");
        this.scoreVector = score != Score.ADDITIVE ? null
                : Initializers.glorotUniform(seed + 2, units, 1).view(units).copy().requireGrad()
                .named(name + "/score_vector");
        this.outputKernel = Initializers.glorotUniform(seed + 3, 2 * units, units).requireGrad()
                .named(name + "/output_kernel");
    }

    public Score score() {
        return score;
    }

    /**
     * The encoder's side, once per batch: its outputs [S*B, H] time-major (row s*B + b), the
     * source lengths (null: all S), and the keys the score compares with.
     */
    public Memory memory(Tensor outputs, int steps, int[] lengths) {
        if (outputs.rank() != 2 || outputs.dim(1) != units || outputs.dim(0) % steps != 0) {
            throw new IllegalArgumentException("attention memory: " + outputs.describe() + " is not [" + steps
                    + " * B, " + units + "]");
        }
        Tensor keys = score == Score.ADDITIVE ? MatrixOps.matmul(outputs, memoryKernel) : outputs;
        return new Memory(outputs, keys, steps, lengths == null ? null : lengths.clone());
    }

    /** What the decoder attends to: values h_s and keys, both [S*B, H] time-major. */
    public record Memory(Tensor values, Tensor keys, int steps, int[] lengths) {
    }

    /** The attentional state h~_t [B, H] and the weights a_t [B, S] of one decoder step. */
    public record Step(Tensor attentional, Tensor weights) {
    }

    /** h_t [B, H] -> h~_t and a_t. */
    public Step attend(Tensor decoderState, Memory memory) {
        Tensor weights;
        Tensor context;
        if (score == Score.ADDITIVE) {
            Tensor scores = AttentionOps.additiveScores(MatrixOps.matmul(decoderState, scoreKernel), memory.keys(),
                    scoreVector, memory.steps(), memory.lengths());
            weights = AttentionOps.maskedSoftmax(scores, memory.lengths());
            context = AttentionOps.weightedSum(weights, memory.values(), memory.steps());
        } else { // the dot products, their softmax and the context in one op
            Tensor query = score == Score.DOT ? decoderState : MatrixOps.matmul(decoderState, scoreKernel);
            AttentionOps.Attended attended = AttentionOps.dotAttention(query, memory.keys(), memory.values(),
                    memory.steps(), memory.lengths());
            weights = attended.weights();
            context = attended.context();
        }
        Tensor attentional = MatrixOps.tanhOfConcatProduct(context, decoderState, outputKernel);
        return new Step(attentional, weights);
    }

    /** Whether {@link #stepLSTM} takes this score: dot and general (the additive score has keys of its own). */
    public boolean fusesLSTMStep() {
        return score != Score.ADDITIVE;
    }

    /**
     * An LSTM decoder's step with input feeding, then {@link #attend}, as one op
     * ({@link InputFeedingStep}): the same numbers as the layer's step followed by attend, in one
     * parallel section each way instead of one per op. For the dot and general scores only.
     */
    public InputFeedingStep.Result stepLSTM(InputFeedingStep.Tokens tokens, Tensor feed, Tensor h, Tensor c,
                                            InputFeedingStep.Recurrence lstm, Memory memory) {
        if (!fusesLSTMStep()) {
            throw new IllegalStateException("stepLSTM: the " + score + " score is not fused; step, then attend");
        }
        return InputFeedingStep.step(tokens, feed, h, c, lstm, scoreKernel, outputKernel, memory);
    }

    @Override
    public List<Tensor> parameters() {
        List<Tensor> parameters = new ArrayList<>();
        for (Tensor parameter : new Tensor[] {scoreKernel, memoryKernel, scoreVector, outputKernel}) {
            if (parameter != null) {
                parameters.add(parameter);
            }
        }
        return parameters;
    }
}
