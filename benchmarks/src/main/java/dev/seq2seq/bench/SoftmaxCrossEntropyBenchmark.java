package dev.seq2seq.bench;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.SoftmaxOps;
import dev.seq2seq.engine.autograd.Tape;
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
 * Softmax cross-entropy over 93 classes for a batch of decoder steps (64 x 59 rows), forward and
 * backward: the fused op against log-softmax followed by picking the targets with autograd ops.
 * {@code @Setup} fails if the two losses disagree.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Dseq2seq.quiet=true"})
public class SoftmaxCrossEntropyBenchmark {
    static final int ROWS = 64 * 59;
    static final int CLASSES = 93;

    private Tensor logits;
    private int[] targets;
    private Tensor targetMask;

    @Setup
    public void setUp() {
        logits = Tensor.uniform(1, -4, 4, ROWS, CLASSES).requireGrad();
        targets = new int[ROWS];
        targetMask = Tensor.zeros(ROWS, CLASSES);
        for (int i = 0; i < ROWS; i++) {
            targets[i] = (i * 31 + 7) % CLASSES;
            targetMask.set(-1f / ROWS, i, targets[i]);
        }
        float fusedLoss = fused().at(0);
        float composedLoss = composed().at(0);
        if (Math.abs(fusedLoss - composedLoss) > 1e-4f * Math.abs(composedLoss)) {
            throw new IllegalStateException("fused and composed cross-entropy disagree: " + fusedLoss + " vs "
                    + composedLoss);
        }
    }

    @Benchmark
    public Tensor fused() {
        logits.zeroGrad();
        Tape tape = new Tape();
        try (Tape.Scope ignored = tape.activate()) {
            Tensor loss = SoftmaxCrossEntropy.loss(logits, targets, null, SoftmaxCrossEntropy.Reduction.MEAN_OVER_REAL);
            tape.backward(loss);
            return loss;
        }
    }

    /** mean(-log_softmax[target]) written as sum(log_softmax * M), M holding -1/N at each target. */
    @Benchmark
    public Tensor composed() {
        logits.zeroGrad();
        Tape tape = new Tape();
        try (Tape.Scope ignored = tape.activate()) {
            Tensor loss = dev.seq2seq.engine.autograd.MatrixOps.sum(
                    dev.seq2seq.engine.autograd.MatrixOps.mul(SoftmaxOps.logSoftmax(logits), targetMask));
            tape.backward(loss);
            return loss;
        }
    }
}
