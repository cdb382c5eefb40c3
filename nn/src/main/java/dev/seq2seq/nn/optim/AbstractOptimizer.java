package dev.seq2seq.nn.optim;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.ParallelKernels;
import java.util.List;

/**
 * What RMSprop and Adam share: the parameters, the learning rate a schedule may change, the step
 * count, and clipping by global norm (Keras's global_clipnorm): when the norm of all gradients
 * together exceeds the limit, every gradient is scaled by limit / norm. The scale goes to the
 * update kernels, which multiply each gradient by it as they read it, instead of rescaling the
 * gradients first. A subclass writes only its update.
 */
public abstract class AbstractOptimizer implements Optimizer {
    /** Parameters smaller than twice this are updated on one core: a hand-off costs more. */
    static final int UPDATE_MIN_PART = 1 << 15;

    protected final List<Tensor> parameters;
    private final String displayName;
    private final float clipNorm;
    private float learningRate;
    private long iterations;

    /** {@code clipNorm} 0 disables clipping; {@code displayName} ("RMSprop") names the optimiser in errors. */
    protected AbstractOptimizer(String displayName, List<Tensor> parameters, float learningRate, float clipNorm) {
        this.displayName = displayName;
        this.parameters = List.copyOf(parameters);
        this.clipNorm = clipNorm;
        if (!(clipNorm >= 0) || !Float.isFinite(clipNorm)) {
            throw new IllegalArgumentException(displayName + ": need a clip norm >= 0, got " + clipNorm);
        }
        setLearningRate(learningRate);
    }

    /**
     * Applies one update from the accumulated gradients. Returns the global gradient norm before
     * clipping when clipping is on, NaN when it is off (the norm is then not needed, and summing
     * 700,000 squares one after the other cost as much as the update).
     */
    @Override
    public final float step() {
        float norm = Float.NaN;
        float gradientScale = 1f;
        if (clipNorm > 0) {
            double squares = 0;
            for (Tensor parameter : parameters) {
                float[] g = parameter.gradData();
                for (int i = parameter.offset(), end = i + parameter.size(); i < end; i++) {
                    squares += (double) g[i] * g[i];
                }
            }
            norm = (float) Math.sqrt(squares);
            gradientScale = norm > clipNorm ? clipNorm / norm : 1f;
        }
        update(gradientScale);
        iterations++;
        return norm;
    }

    /**
     * Update {@link #iterations()} + 1: every parameter from its gradient times {@code gradientScale},
     * at {@link #learningRate()}.
     */
    protected abstract void update(float gradientScale);

    /** Every parameter's gradient zeroed, each large one on all the kernels' threads. */
    @Override
    public void zeroGrad() {
        ParallelKernels k = Backend.kernels();
        for (Tensor parameter : parameters) {
            if (parameter.hasGrad()) {
                k.zero(parameter.gradData(), parameter.offset(), parameter.size());
            }
        }
    }

    @Override
    public String displayName() {
        return displayName;
    }

    @Override
    public long iterations() {
        return iterations;
    }

    @Override
    public void setIterations(long count) {
        if (count < 0) {
            throw new IllegalArgumentException(displayName + ": need a step count >= 0, got " + count);
        }
        this.iterations = count;
    }

    @Override
    public float learningRate() {
        return learningRate;
    }

    @Override
    public void setLearningRate(float rate) {
        if (!(rate > 0) || !Float.isFinite(rate)) {
            throw new IllegalArgumentException(displayName + ": need a learning rate > 0, got " + rate);
        }
        this.learningRate = rate;
    }
}
