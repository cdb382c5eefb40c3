package dev.seq2seq.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ceiling a matmul kernel is measured against: fused multiply-adds with nothing else, one
 * thread. Twelve independent accumulators, as in the gemm tile, so that the FMA latency is hidden
 * and only the FMA throughput of one core counts. {@link Report} prints it in GFLOP/s beside the
 * matmul shapes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Dseq2seq.quiet=true"})
public class FmaPeakBenchmark {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Steps per call; each step is 12 vector FMAs. */
    static final int STEPS = 100_000;

    /** FLOPs per call: 2 per lane of each FMA. */
    static double flopsPerCall() {
        return 2.0 * 12 * SPECIES.length() * STEPS;
    }

    public float x = 1.0000001f;
    public float y = 0.9999999f;

    @Benchmark
    public float fmaChains() {
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
        for (int step = 0; step < STEPS; step++) {
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
        // Returned (to the Blackhole) so that the loop cannot be removed.
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }
}
