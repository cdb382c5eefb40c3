package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.ShapeOps;
import dev.seq2seq.nn.Module;
import java.util.ArrayList;
import java.util.List;

/**
 * Two recurrent layers over the same sequence, one forward and one backward, their outputs side
 * by side (Schuster and Paliwal, 1997; the encoder of Bahdanau et al., 2015):
 *
 * <pre>
 *   forward:  f_t = RNN_f(f_{t-1}, x_t)                  t = 0 .. len-1
 *   backward: g_t = RNN_b(g_{t+1}, x_t)                  t = len-1 .. 0, from each row's last real token
 *   output:   o_t = [f_t ; g_t]                           [T, B, 2H]
 * </pre>
 *
 * The backward layer reads each row reversed within its own length: row b's real tokens
 * x_0 .. x_{len-1} become x_{len-1} .. x_0 (padding stays after them), so it starts at the last
 * real token, not at the padding, and its state is taken after x_0. Its outputs are put back in
 * source order by the same permutation (it is its own inverse). Both moves are row gathers, whose
 * backward scatters the gradient back; everything else is the layers' own forward and backward.
 * Without lengths (Keras padding) the whole T steps are reversed.
 *
 * @param <S> the layers' state
 */
public final class Bidirectional<S extends RecurrentState> implements Module {
    private final RecurrentLayer<S> forwardLayer;
    private final RecurrentLayer<S> backwardLayer;

    public Bidirectional(RecurrentLayer<S> forwardLayer, RecurrentLayer<S> backwardLayer) {
        if (forwardLayer.units() != backwardLayer.units() || forwardLayer.inputSize() != backwardLayer.inputSize()) {
            throw new IllegalArgumentException("the two directions must have the same shapes: " + forwardLayer.name()
                    + " and " + backwardLayer.name());
        }
        this.forwardLayer = forwardLayer;
        this.backwardLayer = backwardLayer;
    }

    /** Outputs [T*B, 2H] time-major ([forward ; backward] at each position), and each direction's final state. */
    public record Result<S extends RecurrentState>(Tensor outputs, S forwardState, S backwardState) {
    }

    /** The width of the outputs: twice a direction's units. */
    public int units() {
        return 2 * forwardLayer.units();
    }

    /** Token ids time-major [T * B]; lengths [B] or null (all T). */
    public Result<S> forwardTokens(int[] tokens, int steps, int[] lengths) {
        int batch = tokens.length / steps;
        int[] reversal = reversal(steps, batch, lengths);
        int[] reversed = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            reversed[i] = tokens[reversal[i]];
        }
        SequenceResult<S> forward = forwardLayer.forwardTokens(tokens, steps, lengths, null);
        SequenceResult<S> backward = backwardLayer.forwardTokens(reversed, steps, lengths, null);
        return combine(forward, backward, steps, batch, reversal);
    }

    /** inputs [T, B, in]; lengths [B] or null (all T). */
    public Result<S> forward(Tensor inputs, int[] lengths) {
        int steps = inputs.dim(0);
        int batch = inputs.dim(1);
        int[] reversal = reversal(steps, batch, lengths);
        Tensor reversed = ShapeOps.gatherRows(inputs.view(steps * batch, inputs.dim(2)), reversal)
                .view(steps, batch, inputs.dim(2));
        SequenceResult<S> forward = forwardLayer.forward(inputs, lengths, null);
        SequenceResult<S> backward = backwardLayer.forward(reversed, lengths, null);
        return combine(forward, backward, steps, batch, reversal);
    }

    private Result<S> combine(SequenceResult<S> forward, SequenceResult<S> backward, int steps, int batch,
                              int[] reversal) {
        int units = forwardLayer.units();
        Tensor backwardInOrder = ShapeOps.gatherRows(backward.outputs().view(steps * batch, units), reversal);
        Tensor outputs = ShapeOps.concatColumns(forward.outputs().view(steps * batch, units), backwardInOrder);
        return new Result<>(outputs, forward.state(), backward.state());
    }

    /**
     * The row permutation of a time-major [T * B] layout that reverses each row's first len
     * positions and leaves its padding in place: row t*B + b <-> (len - 1 - t)*B + b.
     */
    static int[] reversal(int steps, int batch, int[] lengths) {
        int[] rows = new int[steps * batch];
        for (int b = 0; b < batch; b++) {
            int length = lengths == null ? steps : lengths[b];
            for (int t = 0; t < steps; t++) {
                int from = t < length ? length - 1 - t : t;
                rows[t * batch + b] = from * batch + b;
            }
        }
        return rows;
    }

    @Override
    public List<Tensor> parameters() {
        List<Tensor> parameters = new ArrayList<>(forwardLayer.parameters());
        parameters.addAll(backwardLayer.parameters());
        return parameters;
    }
}
