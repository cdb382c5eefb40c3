package dev.seq2seq.bench;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.nn.rnn.LSTM;
import dev.seq2seq.nn.rnn.LSTMState;
import dev.seq2seq.nn.rnn.SequenceResult;
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
 * The recurrences of one training batch of the seed's job alone: an encoder LSTM (71 source
 * characters) and a decoder LSTM (93 target characters) from its final state, H = 256, batch 64,
 * 16 steps, the rows' lengths 12 to 16 (masked padding), forward and backward (the loss is the sum
 * of the decoder's outputs). Three quarters of a training step are these; how they scale from one
 * thread to two is the question this answers: run it twice, with {@code -jvmArgsAppend
 * -Dseq2seq.threads=1} and {@code -Dseq2seq.threads=2}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Dseq2seq.quiet=true"})
public class RecurrenceBenchmark {
    static final int BATCH = 64;
    static final int STEPS = 16;
    static final int UNITS = 256;

    private LSTM encoder;
    private LSTM decoder;
    private final int[] sourceTokens = new int[STEPS * BATCH];
    private final int[] targetTokens = new int[STEPS * BATCH];
    private final int[] lengths = new int[BATCH];
    private final Tape tape = new Tape();

    @Setup
    public void setUp() {
        encoder = new LSTM("encoder", 71, UNITS, 1);
        decoder = new LSTM("decoder", 93, UNITS, 2);
        for (int i = 0; i < sourceTokens.length; i++) {
            sourceTokens[i] = (i * 7) % 71;
            targetTokens[i] = (i * 11) % 93;
        }
        for (int b = 0; b < BATCH; b++) {
            lengths[b] = STEPS - b % 5;
        }
    }

    @Benchmark
    public float forwardAndBackward() {
        float loss;
        try (Tape.Scope ignored = tape.activate()) {
            SequenceResult<LSTMState> encoded = encoder.forwardTokens(sourceTokens, STEPS, lengths, null);
            Tensor sum = MatrixOps.sum(decoder.forwardTokens(targetTokens, STEPS, lengths, encoded.state()).outputs());
            tape.backward(sum);
            loss = sum.data()[0];
        }
        tape.clear();
        encoder.parameters().forEach(Tensor::zeroGrad);
        decoder.parameters().forEach(Tensor::zeroGrad);
        return loss;
    }
}
