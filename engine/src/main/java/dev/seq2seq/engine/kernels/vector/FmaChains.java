package dev.seq2seq.engine.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The FMA ceiling's loop: fused multiply-adds and nothing else, on twelve independent
 * accumulators (as many as the gemm tile keeps), so that the FMA latency is hidden and only the
 * core's FMA throughput counts. Matrix products are measured against what this loop reaches.
 */
public final class FmaChains {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Independent accumulators. */
    public static final int CHAINS = 12;

    private FmaChains() {
    }

    /** Floats per vector. */
    public static int lanes() {
        return SPECIES.length();
    }

    /** FLOPs of one {@link #run}: 2 per lane of each FMA. */
    public static double flops(int steps) {
        return 2.0 * CHAINS * SPECIES.length() * steps;
    }

    /** {@code steps} rounds of {@link #CHAINS} vector FMAs; returns their sum, so the loop cannot be removed. */
    public static float run(float x, float y, int steps) {
        FloatVector xv = FloatVector.broadcast(SPECIES, x);
        FloatVector yv = FloatVector.broadcast(SPECIES, y);
        FloatVector c0 = FloatVector.zero(SPECIES);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        FloatVector c8 = c0;
        FloatVector c9 = c0;
        FloatVector c10 = c0;
        FloatVector c11 = c0;
        for (int step = 0; step < steps; step++) {
            c0 = xv.fma(yv, c0);
            c1 = xv.fma(yv, c1);
            c2 = xv.fma(yv, c2);
            c3 = xv.fma(yv, c3);
            c4 = xv.fma(yv, c4);
            c5 = xv.fma(yv, c5);
            c6 = xv.fma(yv, c6);
            c7 = xv.fma(yv, c7);
            c8 = xv.fma(yv, c8);
            c9 = xv.fma(yv, c9);
            c10 = xv.fma(yv, c10);
            c11 = xv.fma(yv, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }
}
