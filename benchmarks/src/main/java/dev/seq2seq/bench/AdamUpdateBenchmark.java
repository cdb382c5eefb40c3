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
 * One Adam update of a word-level output layer's weights (256 x 8,004), on one core, as
 * {@link RmspropUpdateBenchmark} measures RMSprop's: the scalar reference loop against the Vector
 * API kernel, which {@code @Setup} checks give the same bits. Adam reads and writes one more array
 * (the first moments) than RMSprop, so the two benchmarks side by side show what that costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Dseq2seq.quiet=true"})
public class AdamUpdateBenchmark {
    /** Step 10's corrections at lr 0.001, beta1 0.9, beta2 0.999: lr / (1 - 0.9^10), sqrt(1 - 0.999^10). */
    private static final float STEP_SIZE = (float) (0.001 / (1 - Math.pow(0.9, 10)));
    private static final float CORRECTION2_SQRT = (float) Math.sqrt(1 - Math.pow(0.999, 10));

    @Param({"2049024"})
    int size;

    private final Kernels scalar = new ScalarKernels();
    private final Kernels vector = Backend.chooseSingleThreaded();
    private float[] weights;
    private float[] gradients;
    private float[] means;
    private float[] squares;

    @Setup
    public void setUp() {
        UpdateData data = UpdateData.of(size);
        weights = data.weights();
        gradients = data.gradients();
        means = new float[size];
        squares = new float[size];
        float[] w = weights.clone();
        float[] m = means.clone();
        float[] v = squares.clone();
        update(scalar, w, m, v);
        float[] vectorW = weights.clone();
        float[] vectorM = means.clone();
        float[] vectorV = squares.clone();
        update(vector, vectorW, vectorM, vectorV);
        if (!Arrays.equals(w, vectorW) || !Arrays.equals(m, vectorM) || !Arrays.equals(v, vectorV)) {
            throw new IllegalStateException("the vector Adam update differs from the scalar one");
        }
    }

    private void update(Kernels kernels, float[] w, float[] m, float[] v) {
        kernels.adamUpdate(w, 0, gradients, 0, m, v, 0, size, 1f, STEP_SIZE, 0.9f, 0.999f, CORRECTION2_SQRT, 1e-8f);
    }

    @Benchmark
    public float[] scalarLoop() {
        update(scalar, weights, means, squares);
        return weights;
    }

    @Benchmark
    public float[] vectorKernel() {
        update(vector, weights, means, squares);
        return weights;
    }
}
