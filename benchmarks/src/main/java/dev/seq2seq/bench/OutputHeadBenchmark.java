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
 * 8,004 words, then softmax cross-entropy. {@code affineAndLossInOneOp} is what training runs
 * ({@code SoftmaxCrossEntropy.ofAffine}: the logits, p and their gradient in one array);
 * {@code affineThenLoss} is the layer's op (product and bias in one op) followed by the loss's op;
 * {@code matmulThenBiasThenLoss} is the same arithmetic as three ops, with the extra [576, 8004]
 * arrays they make. {@code @Setup} fails unless the three give the same loss and the same
 * gradients, to the bit. At this size the head is about 40% of a training step.
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
        float oneOpLoss = affineAndLossInOneOp().at(0);
        float[][] oneOpGradients = gradients();
        for (int ops = 2; ops <= 3; ops++) {
            float loss = lossAndBackward(ops).at(0);
            if (Float.floatToIntBits(oneOpLoss) != Float.floatToIntBits(loss)) {
                throw new IllegalStateException("the head in one op and in " + ops + " disagree: " + oneOpLoss + " vs "
                        + loss);
            }
            float[][] composed = gradients();
            for (int g = 0; g < composed.length; g++) {
                if (!java.util.Arrays.equals(oneOpGradients[g], composed[g])) {
                    throw new IllegalStateException("the head in one op and in " + ops + " give different gradients"
                            + " (input " + g + ")");
                }
            }
        }
    }

    private float[][] gradients() {
        return new float[][] {states.grad().toArray(), kernel.grad().toArray(), bias.grad().toArray()};
    }

    @Benchmark
    public Tensor affineAndLossInOneOp() {
        return lossAndBackward(1);
    }

    @Benchmark
    public Tensor affineThenLoss() {
        return lossAndBackward(2);
    }

    @Benchmark
    public Tensor matmulThenBiasThenLoss() {
        return lossAndBackward(3);
    }

    /** The loss, forward and backward, as one, two or three ops on the tape. */
    private Tensor lossAndBackward(int ops) {
        states.zeroGrad();
        kernel.zeroGrad();
        bias.zeroGrad();
        Tape tape = new Tape();
        try (Tape.Scope ignored = tape.activate()) {
            SoftmaxCrossEntropy.Reduction mean = SoftmaxCrossEntropy.Reduction.MEAN_OVER_REAL;
            Tensor loss = switch (ops) {
                case 1 -> SoftmaxCrossEntropy.ofAffine(states, kernel, bias, targets, null, mean, 0f);
                case 2 -> SoftmaxCrossEntropy.loss(MatrixOps.affine(states, kernel, bias), targets, null, mean);
                default -> SoftmaxCrossEntropy.loss(MatrixOps.addRowVector(MatrixOps.matmul(states, kernel), bias),
                        targets, null, mean);
            };
            tape.backward(loss);
            return loss;
        }
    }
}
