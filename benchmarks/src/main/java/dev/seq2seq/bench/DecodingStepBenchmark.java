package dev.seq2seq.bench;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.nn.DecodingHead;
import dev.seq2seq.nn.Dense;
import dev.seq2seq.nn.WeightPrecision;
import dev.seq2seq.nn.rnn.GRU;
import dev.seq2seq.nn.rnn.GRUState;
import dev.seq2seq.nn.rnn.LSTM;
import dev.seq2seq.nn.rnn.LSTMState;
import dev.seq2seq.nn.rnn.RecurrentLayer;
import dev.seq2seq.nn.rnn.RecurrentState;
import dev.seq2seq.nn.rnn.TokenStepper;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One greedy decoding step of one sentence on the seed's decoder (93 target characters, H = 256):
 * the recurrent step from a token, then the softmax head's scores. {@code layer} takes the
 * layer's own step (the sequence op's arithmetic without the tape); {@code stepper} takes the
 * {@link TokenStepper}, whose cores each read a contiguous panel of U; {@code bf16Stepper} the
 * same with U and the head's kernel in bf16 ({@link WeightPrecision#BF16}, half the bytes).
 * {@code @Setup} fails unless the first two give the same state, bit for bit. Uses the backend's thread count (both cores by default).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Dseq2seq.quiet=true"})
public class DecodingStepBenchmark {
    static final int TARGETS = 93;
    static final int UNITS = 256;

    @Param({"lstm", "gru"})
    public String cell;

    private RecurrentLayer<RecurrentState> decoder;
    private TokenStepper<RecurrentState> stepper;
    private TokenStepper<RecurrentState> bf16Stepper;
    private Dense head;
    private DecodingHead bf16Head;
    private RecurrentState state;
    private final int[] token = {7};
    private Tape.Scope noTape;

    @SuppressWarnings("unchecked")
    @Setup
    public void setUp() {
        noTape = Tape.pause();
        RecurrentLayer<?> layer = cell.equals("gru") ? new GRU("gru", TARGETS, UNITS, 1) : new LSTM("lstm", TARGETS, UNITS, 1);
        decoder = (RecurrentLayer<RecurrentState>) layer;
        stepper = decoder.tokenStepper();
        head = new Dense("dense", UNITS, TARGETS, Dense.Activation.SOFTMAX, 2);
        bf16Stepper = decoder.tokenStepper(WeightPrecision.BF16);
        bf16Head = new DecodingHead(head, WeightPrecision.BF16);
        Tensor h = Tensor.uniform(3, -1, 1, 1, UNITS);
        state = cell.equals("gru") ? new GRUState(h) : new LSTMState(h, Tensor.uniform(4, -1, 1, 1, UNITS));
        float[] byLayer = decoder.stepTokens(state, token).h().toArray();
        float[] byStepper = stepper.step(state, token).h().toArray();
        if (!Arrays.equals(byLayer, byStepper)) {
            throw new IllegalStateException(cell + ": the token stepper and the layer's step disagree");
        }
    }

    @TearDown
    public void tearDown() {
        noTape.close();
    }

    @Benchmark
    public Tensor layer() {
        return head.logits(decoder.stepTokens(state, token).h());
    }

    @Benchmark
    public Tensor stepper() {
        return head.logits(stepper.step(state, token).h());
    }

    @Benchmark
    public Tensor bf16Stepper() {
        return bf16Head.logits(bf16Stepper.step(state, token).h());
    }
}
