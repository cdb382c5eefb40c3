package dev.seq2seq.bench;

import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Bf16;
import dev.seq2seq.engine.kernels.GemvMatrix;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.engine.kernels.ScalarKernels;
import java.util.Arrays;
import java.util.SplittableRandom;
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
 * The product a decoding step for one sentence is bound by, h [1, 256] times a panel of U
 * [256, n], on one core, three ways: float32 weights as they are (the row product, eight rows of
 * the panel per pass, read as eight streams), float32 weights in the {@link GemvMatrix} layout
 * (the same passes read as one stream: what float32 decoding uses), and bf16 weights (half the
 * bytes to read from cache). n = 512 is one core's half of an LSTM's U [256, 1024], as the batch-1
 * stepper splits it; n = 96, the seed's output layer (93 characters) padded to a multiple of 32
 * columns, as decoding pads it. {@code @Setup} fails unless the bf16 kernel gives the scalar
 * reference's bits and the gemv layout the row product's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Dseq2seq.quiet=true"})
public class Bf16RowProductBenchmark {
    private static final int K = 256;

    @Param({"512", "1024", "96"})
    int n;

    private final Kernels vector = Backend.chooseSingleThreaded();
    private float[] h;
    private float[] weights;
    private int[] bf16Weights;
    private GemvMatrix gemvWeights;
    private float[] out;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(5);
        h = new float[K];
        weights = new float[K * n];
        for (int i = 0; i < K; i++) {
            h[i] = (float) random.nextDouble(-1, 1);
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) random.nextDouble(-0.1, 0.1);
        }
        bf16Weights = Bf16.pairs(weights, 0, n, K, n, n);
        out = new float[n];
        float[] expected = new float[n];
        new ScalarKernels().rowTimesBf16Matrix(h, 0, bf16Weights, 0, expected, 0, K, n, false);
        vector.rowTimesBf16Matrix(h, 0, bf16Weights, 0, out, 0, K, n, false);
        if (!Arrays.equals(expected, out)) {
            throw new IllegalStateException("the vector bf16 product differs from the scalar one");
        }
        gemvWeights = vector.packForGemv(weights, 0, n, K, n);
        vector.matmul(h, 0, weights, 0, expected, 0, 1, K, n, false);
        vector.matmulGemv(h, 0, K, 1, gemvWeights, out, 0, n, false);
        if (!Arrays.equals(expected, out)) {
            throw new IllegalStateException("the product over the gemv layout differs from the row product");
        }
    }

    @Benchmark
    public float[] float32Weights() {
        vector.matmul(h, 0, weights, 0, out, 0, 1, K, n, false);
        return out;
    }

    @Benchmark
    public float[] float32GemvLayout() {
        vector.matmulGemv(h, 0, K, 1, gemvWeights, out, 0, n, false);
        return out;
    }

    @Benchmark
    public float[] bf16Weights() {
        vector.rowTimesBf16Matrix(h, 0, bf16Weights, 0, out, 0, K, n, false);
        return out;
    }
}
