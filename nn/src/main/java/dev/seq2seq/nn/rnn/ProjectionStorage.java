package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Kernels;

/**
 * How the fused recurrences use the input projection's arrays without copying them. An input
 * projection over a batch of sequences is [T, B, G*H] (15 MB for the seed's decoder); copying it
 * for the activations and allocating a second array for its gradient doubled the memory a
 * training step churns through.
 */
final class ProjectionStorage {
    private ProjectionStorage() {
    }

    /**
     * The array the recurrence turns into its gate activations: the projection's own storage when
     * the projection is a whole array of its own (the layer's intermediate, which nothing else
     * reads, and whose op's backward does not read its values), else a copy.
     */
    static float[] takeForActivations(Tensor projection) {
        return ownsWholeArray(projection) ? projection.data() : projection.toArray();
    }

    /**
     * Where backward writes d projection [T*B, G*H]: the projection's gradient array itself when it
     * is wanted and not allocated yet (a fresh array is zeros, so writing into it is the same as
     * adding to it), else a scratch array for {@link #finishGradient} to add.
     */
    static float[] gradientTarget(Tensor projection) {
        if (projection.requiresGrad() && !projection.hasGrad() && ownsWholeArray(projection)) {
            return projection.gradData();
        }
        return new float[projection.size()];
    }

    /** Adds the gradient to the projection's, unless it was written there directly. */
    static void finishGradient(Kernels k, Tensor projection, float[] target) {
        if (projection.requiresGrad() && target != projection.gradData()) {
            k.axpy(1f, target, 0, projection.gradData(), projection.offset(), target.length);
        }
    }

    private static boolean ownsWholeArray(Tensor projection) {
        return projection.offset() == 0 && projection.size() == projection.data().length;
    }
}
