package dev.seq2seq.nn.optim;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.ParallelKernels;
import java.util.ArrayList;
import java.util.List;

/**
 * An exponential moving average of the weights along the training run (Polyak averaging, as
 * Marian's {@code --exponential-smoothing} and TensorFlow's ExponentialMovingAverage keep it).
 * After update t (counted from 0) of the optimiser:
 *
 * <pre>
 *   d       = min(decay, (1 + t) / (10 + t))
 *   average = average + (1 - d) * (w - average)
 * </pre>
 *
 * The averages start as the initial weights. The warm-up term (1 + t) / (10 + t) is
 * TensorFlow's: early on, when the weights move fast and the averages still hold the random
 * start, d is small and the averages follow the weights closely; after some 10 / (1 - decay)
 * updates d is {@code decay} and the averages span about 1 / (1 - decay) updates.
 *
 * <p>Why: with a constant rate the weights keep jumping about a minimum by the noise of each
 * batch; their average over the last thousand or so updates sits closer to it. Training goes on
 * from the weights themselves; the averages are what is validated, saved for translation and
 * kept as the best epoch. A resumable checkpoint holds both ({@link #state()}: one tensor per
 * parameter, "{parameter}/average").
 */
public final class WeightAverage {
    private final List<Tensor> parameters;
    private final List<Tensor> averages = new ArrayList<>();
    private final float decay;

    /** Averages of {@code parameters} with the given decay, in (0, 1), starting at their current values. */
    public WeightAverage(List<Tensor> parameters, float decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("the weight average's decay must be in (0, 1), got " + decay);
        }
        this.parameters = List.copyOf(parameters);
        this.decay = decay;
        for (Tensor parameter : this.parameters) {
            averages.add(parameter.copy().named(averageName(parameter.name())));
        }
    }

    /** The name a parameter's average goes by in a checkpoint. */
    public static String averageName(String parameterName) {
        return parameterName + "/average";
    }

    public float decay() {
        return decay;
    }

    /** The decay of update {@code updatesBefore} + 1, with TensorFlow's warm-up. */
    public float effectiveDecay(long updatesBefore) {
        return (float) Math.min(decay, (1.0 + updatesBefore) / (10.0 + updatesBefore));
    }

    /**
     * Moves every average towards its parameter's current value, once the optimiser has made its
     * update number {@code updatesBefore} + 1 (so 0 after the run's first update).
     */
    public void update(long updatesBefore) {
        float rate = 1f - effectiveDecay(updatesBefore);
        ParallelKernels k = Backend.kernels();
        for (int p = 0; p < parameters.size(); p++) {
            Tensor parameter = parameters.get(p);
            Tensor average = averages.get(p);
            float[] w = parameter.data();
            float[] a = average.data();
            int wOffset = parameter.offset();
            int aOffset = average.offset();
            // Element by element, so the cores can share a parameter without changing any result;
            // split as the optimisers split their updates.
            k.forEachPart(parameter.size(), AbstractOptimizer.UPDATE_MIN_PART,
                    (from, to) -> k.movingAverage(a, aOffset + from, w, wOffset + from, to - from, rate));
        }
    }

    /**
     * Exchanges the values of every parameter with its average: the parameters then hold the
     * averages (to validate or save them), and a second call puts the training weights back.
     */
    public void swap() {
        for (int p = 0; p < parameters.size(); p++) {
            Tensor parameter = parameters.get(p);
            Tensor average = averages.get(p);
            float[] held = parameter.toArray();
            parameter.copyFrom(average);
            System.arraycopy(held, 0, average.data(), average.offset(), held.length);
        }
    }

    /** The averages, one per parameter in the parameters' order, named "{parameter}/average". */
    public List<Tensor> state() {
        return List.copyOf(averages);
    }
}
