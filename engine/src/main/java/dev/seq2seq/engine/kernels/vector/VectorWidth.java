package dev.seq2seq.engine.kernels.vector;

import dev.seq2seq.engine.kernels.Backend;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one vector species every vector kernel uses, fixed when the class loads so the JIT sees a
 * constant (a species held in an instance field would defeat intrinsification).
 *
 * <p>System property {@code seq2seq.vectorBits}, read and checked by {@link Backend#requestedVectorBits}:
 * 128, 256 or 512 asks for that width; unset means the CPU's preferred width. A width wider than
 * the CPU supports falls back to the preferred one (the backend's log line then says so). 0
 * (scalar) is handled before this class is loaded.
 */
final class VectorWidth {
    static final VectorSpecies<Float> SPECIES = choose();
    static final int LANES = SPECIES.length();

    private VectorWidth() {
    }

    private static VectorSpecies<Float> choose() {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        Integer bits = Backend.requestedVectorBits();
        if (bits == null || bits == 0 || bits > preferred.vectorBitSize()) {
            return preferred;
        }
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }
}
