package dev.seq2seq.bench;

import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.engine.kernels.ScalarKernels;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The gate products of the seq2seq LSTM, one thread: C[m,n] = A[m,k] . B[k,n] with
 * <ul>
 *   <li>64x256x1024: batch 64, recurrent kernel [256, 4*256];</li>
 *   <li>64x320x1024: the same with the input projection fused in (about 70 input characters
 *       + 256 hidden, rounded);</li>
 *   <li>3840x256x96: the Dense softmax head over a whole batch of decoder steps (64 x 60 rows,
 *       96 is about the French character count).</li>
 *   <li>64x1024x256: the backward product dGates . U^T (k = 4 * 256).</li>
 * </ul>
 * FLOPs per call: 2 m k n. {@link Report} turns the times into GFLOP/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Dseq2seq.quiet=true"})
public class MatmulBenchmark {

    @Param({"64x256x1024", "64x320x1024", "3840x256x96", "64x1024x256"})
    public String shape;

    @Param({"vector", "scalar"})
    public String backend;

    private Kernels kernels;
    private float[] a;
    private float[] b;
    private float[] c;
    private int m;
    private int k;
    private int n;

    @Setup
    public void setUp() {
        int[] mkn = parseShape(shape);
        m = mkn[0];
        k = mkn[1];
        n = mkn[2];
        a = random(1, m * k);
        b = random(2, k * n);
        c = new float[m * n];
        Kernels scalar = new ScalarKernels();
        Kernels vector = Backend.chooseSingleThreaded();
        if (!vector.name().startsWith("vector")) {
            throw new IllegalStateException("the vector kernels are not available (" + vector.name()
                    + "): is --add-modules jdk.incubator.vector set?");
        }
        Agreement.checkProduct(scalar, vector, m, k, n);
        kernels = backend.equals("vector") ? vector : scalar;
    }

    @Benchmark
    public void matmul(Blackhole sink) {
        kernels.matmul(a, 0, b, 0, c, 0, m, k, n, false);
        sink.consume(c);
    }

    static int[] parseShape(String text) {
        String[] parts = text.split("x");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
    }

    static float[] random(long seed, int size) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }
}
