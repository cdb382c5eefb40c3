package dev.seq2seq.bench;

import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.engine.kernels.PackedMatrix;
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
 * One core's share of a recurrence step, as the recurrences compute it since they pack U, against
 * the product from U itself, on one thread: 32 x 256 x 1024 is h [32, 256] . U [256, 1024] (half
 * of a batch of 64 on one core, forward), 32 x 1024 x 256 is dz [32, 1024] . U^T [1024, 256]
 * (backward). {@code @Setup} fails unless both give the same bits.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Dseq2seq.quiet=true"})
public class PackedProductBenchmark {

    @Param({"32x256x1024", "32x1024x256"})
    public String shape;

    private final Kernels kernels = Backend.chooseSingleThreaded();
    private float[] a;
    private float[] b;
    private PackedMatrix packed;
    private float[] c;
    private int m;
    private int k;
    private int n;

    @Setup
    public void setUp() {
        int[] mkn = MatmulBenchmark.parseShape(shape);
        m = mkn[0];
        k = mkn[1];
        n = mkn[2];
        SplittableRandom random = new SplittableRandom(11);
        a = new float[m * k];
        b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) random.nextDouble(-0.1, 0.1);
        }
        packed = kernels.pack(b, 0, n, k, n);
        c = new float[m * n];
        float[] fromPacked = new float[m * n];
        kernels.matmul(a, 0, b, 0, c, 0, m, k, n, false);
        kernels.matmulPacked(a, 0, k, packed, fromPacked, 0, n, m, false);
        if (!Arrays.equals(c, fromPacked)) {
            throw new IllegalStateException("the product from the packed matrix differs from the one from B");
        }
    }

    @Benchmark
    public float[] fromB() {
        kernels.matmul(a, 0, b, 0, c, 0, m, k, n, false);
        return c;
    }

    @Benchmark
    public float[] fromPackedB() {
        kernels.matmulPacked(a, 0, k, packed, c, 0, n, m, false);
        return c;
    }
}
