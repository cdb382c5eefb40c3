package dev.seq2seq.bench;

import dev.seq2seq.engine.kernels.vector.FmaChains;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
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
 * thread: the engine's {@link FmaChains} loop (twelve independent accumulators, as in the gemm
 * tile, so that the FMA latency is hidden and only the FMA throughput of one core counts), which
 * {@code seq2seq bench} also runs on every kernel thread at once. {@link Report} prints it in
 * GFLOP/s beside the matmul shapes.
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
        return FmaChains.flops(STEPS);
    }

    public float x = 1.0000001f;
    public float y = 0.9999999f;

    @Benchmark
    public float fmaChains() {
        // Returned (to the Blackhole) so that the loop cannot be removed.
        return FmaChains.run(x, y, STEPS);
    }
}
