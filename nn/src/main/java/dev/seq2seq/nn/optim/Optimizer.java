package dev.seq2seq.nn.optim;

import dev.seq2seq.engine.Tensor;
import java.util.List;

/**
 * What a training loop asks of an optimiser: apply the gradients the last backward pass
 * accumulated, clear them, expose the running state a checkpoint must keep, and let a schedule
 * change the rate between steps.
 */
public interface Optimizer {
    /**
     * Applies one update from the accumulated gradients. Returns the global gradient norm before
     * clipping when clipping is on, NaN when it is off.
     */
    float step();

    /** Sets every parameter's gradient to zero, ready for the next batch. */
    void zeroGrad();

    /**
     * The running state, one or more tensors per parameter, each named after its parameter ("{parameter}/rms",
     * ...): saved beside the weights, restored by name when a run resumes.
     */
    List<Tensor> state();

    /** How a checkpoint's metadata names this optimiser ("rmsprop", "adam"). */
    String name();

    /** How papers write its name ("RMSprop", "Adam"), for messages and profiles. */
    String displayName();

    /** Updates applied so far (Adam's bias corrections depend on it: a resumed run must set it). */
    long iterations();

    void setIterations(long count);

    float learningRate();

    /** Changes the learning rate for the next steps; the running state is kept. */
    void setLearningRate(float rate);
}
