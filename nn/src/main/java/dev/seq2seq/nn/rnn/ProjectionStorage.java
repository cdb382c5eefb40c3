package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Kernels;

/**
 * How the fused recurrences use the input projection's arrays without copying them. An input
 * projection over a batch of sequences is [T, B, G*H] (15 MB for the seed's decoder with Keras
 * padding). The recurrence turns it into its gate activations in place, its backward turns those
 * into the gate gradients in place, and that array becomes the projection's gradient: one array
 * of that size per layer and training step, where a copy for the activations and a gradient
 * array, each allocated and zeroed by the JVM on one core, once made three.
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
     * Hands the projection its gradient, which a recurrence's backward wrote over the activations
     * it took ({@code gradient}, as long as the projection): as the projection's gradient array
     * itself when that array is the projection's own storage and it has no gradient yet (nothing
     * allocated, nothing added), else added to its gradient.
     */
    static void passGradient(Kernels k, Tensor projection, float[] gradient) {
        if (!projection.requiresGrad()) {
            return;
        }
        if (gradient == projection.data() && !projection.hasGrad()) {
            projection.adoptGradient(gradient);
        } else {
            k.axpy(1f, gradient, 0, projection.gradData(), projection.offset(), gradient.length);
        }
    }

    private static boolean ownsWholeArray(Tensor projection) {
        return projection.offset() == 0 && projection.size() == projection.data().length;
    }
}
