package dev.seq2seq.bench;

import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.engine.kernels.ScalarKernels;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One RMSprop update of a word-level output layer's weights (256 x 8,004, as in a model with an
 * 8,000-word vocabulary), on one core: the scalar reference loop against the Vector API kernel.
 * {@code @Setup} fails unless the two give the same bits.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Dseq2seq.quiet=true"})
public class RmspropUpdateBenchmark {
    @Param({"2049024"})
    int size;

    private final Kernels scalar = new ScalarKernels();
    private final Kernels vector = Backend.chooseSingleThreaded();
    private float[] weights;
    private float[] gradients;
    private float[] averages;

    @Setup
    public void setUp() {
        UpdateData data = UpdateData.of(size);
        weights = data.weights();
        gradients = data.gradients();
        averages = new float[size];
        float[] w = weights.clone();
        float[] v = averages.clone();
        scalar.rmspropUpdate(w, 0, gradients, 0, v, 0, size, 1f, 0.001f, 0.9f, 1e-7f);
        float[] vectorW = weights.clone();
        float[] vectorV = averages.clone();
        vector.rmspropUpdate(vectorW, 0, gradients, 0, vectorV, 0, size, 1f, 0.001f, 0.9f, 1e-7f);
        if (!Arrays.equals(w, vectorW) || !Arrays.equals(v, vectorV)) {
            throw new IllegalStateException("the vector RMSprop update differs from the scalar one");
        }
    }

    @Benchmark
    public float[] scalarLoop() {
        scalar.rmspropUpdate(weights, 0, gradients, 0, averages, 0, size, 1f, 0.001f, 0.9f, 1e-7f);
        return weights;
    }

    @Benchmark
    public float[] vectorKernel() {
        vector.rmspropUpdate(weights, 0, gradients, 0, averages, 0, size, 1f, 0.001f, 0.9f, 1e-7f);
        return weights;
    }
}
