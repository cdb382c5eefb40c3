package dev.seq2seq.bench;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.nn.attention.GlobalAttention;
import java.util.List;
import java.util.Locale;
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
 * One step of global attention on the seed's shapes (batch 64, 16 source positions, H = 256,
 * sentences of different lengths): {@code forward} is the step alone, on a memory prepared once
 * (as a decoder uses it, step after step); {@code forwardAndBackward} prepares the memory on the
 * tape as well (the additive score's keys, h_s W_2, are a [1024 x 256 x 256] product, paid once per
 * batch in training), then runs backward. {@code @Setup} fails unless
 * the attentional state agrees with a plain scalar computation in double precision (the loops of
 * the equations in {@link GlobalAttention}, nothing shared with the kernels).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Dseq2seq.quiet=true"})
public class AttentionStepBenchmark {
    static final int BATCH = 64;
    static final int STEPS = 16;
    static final int UNITS = 256;

    @Param({"dot", "general", "additive"})
    public String score;

    private GlobalAttention attention;
    private Tensor outputs;
    private Tensor state;
    private Tensor projection;
    private int[] lengths;
    private GlobalAttention.Memory memory;

    @Setup
    public void setUp() {
        attention = new GlobalAttention("attention", GlobalAttention.Score.valueOf(score.toUpperCase(Locale.ROOT)),
                UNITS, 1);
        outputs = Tensor.uniform(2, -1, 1, STEPS * BATCH, UNITS).requireGrad();
        state = Tensor.uniform(3, -1, 1, BATCH, UNITS).requireGrad();
        projection = Tensor.uniform(4, -1, 1, BATCH, UNITS);
        lengths = new int[BATCH];
        for (int b = 0; b < BATCH; b++) {
            lengths[b] = STEPS - b % 7;
        }
        Tensor actual;
        try (Tape.Scope ignored = Tape.pause()) {
            memory = attention.memory(outputs, STEPS, lengths);
            actual = attention.attend(state, memory).attentional();
        }
        double[] expected = reference();
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(actual.at(i) - expected[i]) > 1e-4 * (1 + Math.abs(expected[i]))) {
                throw new IllegalStateException(score + " attention: the kernels' step and the scalar reference"
                        + " disagree at " + i + ": " + actual.at(i) + " vs " + expected[i]);
            }
        }
    }

    /** The attentional state from the class comment's equations, element by element, in double. */
    private double[] reference() {
        List<Tensor> parameters = attention.parameters(); // [W_a or W_1, W_2, v,] W_c
        Tensor outputKernel = parameters.get(parameters.size() - 1);
        double[] result = new double[BATCH * UNITS];
        for (int b = 0; b < BATCH; b++) {
            double[] query = new double[UNITS];
            for (int j = 0; j < UNITS; j++) {
                query[j] = score.equals("dot") ? state.get(b, j) : product(state, b, parameters.get(0), j);
            }
            double[] e = new double[lengths[b]];
            double max = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < lengths[b]; s++) {
                int row = s * BATCH + b;
                for (int j = 0; j < UNITS; j++) {
                    e[s] += score.equals("additive")
                            ? parameters.get(2).at(j) * Math.tanh(query[j] + product(outputs, row, parameters.get(1), j))
                            : query[j] * outputs.get(row, j);
                }
                max = Math.max(max, e[s]);
            }
            double sum = 0;
            for (int s = 0; s < e.length; s++) {
                e[s] = Math.exp(e[s] - max);
                sum += e[s];
            }
            double[] joined = new double[2 * UNITS];
            for (int s = 0; s < e.length; s++) {
                for (int j = 0; j < UNITS; j++) {
                    joined[j] += e[s] / sum * outputs.get(s * BATCH + b, j);
                }
            }
            for (int j = 0; j < UNITS; j++) {
                joined[UNITS + j] = state.get(b, j);
            }
            for (int j = 0; j < UNITS; j++) {
                double z = 0;
                for (int p = 0; p < 2 * UNITS; p++) {
                    z += joined[p] * outputKernel.get(p, j);
                }
                result[b * UNITS + j] = Math.tanh(z);
            }
        }
        return result;
    }

    /** (row r of x) . (column j of w), in double. */
    private static double product(Tensor x, int r, Tensor w, int j) {
        double sum = 0;
        for (int p = 0; p < w.dim(0); p++) {
            sum += (double) x.get(r, p) * w.get(p, j);
        }
        return sum;
    }

    @Benchmark
    public Tensor forward() {
        try (Tape.Scope ignored = Tape.pause()) {
            return attention.attend(state, memory).attentional();
        }
    }

    @Benchmark
    public Tensor forwardAndBackward() {
        Tape tape = new Tape();
        Tensor attentional;
        try (Tape.Scope ignored = tape.activate()) {
            attentional = attention.attend(state, attention.memory(outputs, STEPS, lengths)).attentional();
            tape.backward(MatrixOps.sum(MatrixOps.mul(attentional, projection)));
        }
        outputs.zeroGrad();
        state.zeroGrad();
        attention.parameters().forEach(Tensor::zeroGrad);
        return attentional;
    }
}
