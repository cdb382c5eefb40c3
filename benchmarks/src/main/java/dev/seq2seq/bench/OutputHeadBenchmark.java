package dev.seq2seq.bench;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.nn.init.Initializers;
import dev.seq2seq.nn.loss.SoftmaxCrossEntropy;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A word model's output head, forward and backward, on the kernels' threads: the decoder's 576
 * attentional states of a batch (64 sentences x 9 steps, 256 units) through the Dense layer to
 * 8,004 words, then softmax cross-entropy. {@code affine} is the layer as it is (product and bias
 * in one op); {@code matmulThenBias} is the same arithmetic as two ops, with the extra [576, 8004]
 * array and gradient they make. {@code @Setup} fails unless the two give the same loss and the
 * same gradients, to the bit. At this size the head is about a third of a training step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Dseq2seq.quiet=true", "-Xmx4g"})
public class OutputHeadBenchmark {
    static final int ROWS = 64 * 9;
    static final int UNITS = 256;
    static final int WORDS = 8004;

    private Tensor states;
    private Tensor kernel;
    private Tensor bias;
    private int[] targets;

    @Setup
    public void setUp() {
        states = Tensor.uniform(1, -1, 1, ROWS, UNITS).requireGrad();
        kernel = Initializers.glorotUniform(2, UNITS, WORDS).requireGrad();
        bias = Tensor.uniform(3, -0.1f, 0.1f, WORDS).requireGrad();
        targets = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            targets[i] = (i * 613 + 5) % WORDS;
        }
        float fusedLoss = affine().at(0);
        float[][] fusedGradients = {states.grad().toArray(), kernel.grad().toArray(), bias.grad().toArray()};
        float composedLoss = matmulThenBias().at(0);
        float[][] composedGradients = {states.grad().toArray(), kernel.grad().toArray(), bias.grad().toArray()};
        if (Float.floatToIntBits(fusedLoss) != Float.floatToIntBits(composedLoss)) {
            throw new IllegalStateException("the fused and composed heads disagree: " + fusedLoss + " vs "
                    + composedLoss);
        }
        for (int g = 0; g < fusedGradients.length; g++) {
            if (!java.util.Arrays.equals(fusedGradients[g], composedGradients[g])) {
                throw new IllegalStateException("the fused and composed heads give different gradients (input " + g
                        + ")");
            }
        }
    }

    @Benchmark
    public Tensor affine() {
        return lossAndBackward(true);
    }

    @Benchmark
    public Tensor matmulThenBias() {
        return lossAndBackward(false);
    }

    private Tensor lossAndBackward(boolean fused) {
        states.zeroGrad();
        kernel.zeroGrad();
        bias.zeroGrad();
        Tape tape = new Tape();
        try (Tape.Scope ignored = tape.activate()) {
            Tensor logits = fused ? MatrixOps.affine(states, kernel, bias)
                    : MatrixOps.addRowVector(MatrixOps.matmul(states, kernel), bias);
            Tensor loss = SoftmaxCrossEntropy.loss(logits, targets, null, SoftmaxCrossEntropy.Reduction.MEAN_OVER_REAL);
            tape.backward(loss);
            return loss;
        }
    }
}
