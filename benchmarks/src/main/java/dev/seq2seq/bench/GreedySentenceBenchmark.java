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
 * A greedy decoding of one sentence on the seed's decoder (93 target characters, H = 256): 59
 * steps from an encoded state, each step's token the most likely of the last step's scores.
 * {@code stepByStep} goes through {@link TokenStepper#step} and the output layer on the calling
 * thread, as greedy decoding did before its steps ran in lockstep: a hand-off to the other core
 * every step, the output layer on one core while the other waits. {@code lockstep} goes through
 * {@link TokenStepper#run}: each core keeps its units for the whole sentence and computes the
 * output layer itself, the cores meeting once a step. {@code @Setup} fails unless both choose the
 * same 59 tokens and end in the same state, bit for bit. Uses the backend's thread count (both
 * cores by default; with one, both ways step one at a time).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Dseq2seq.quiet=true"})
public class GreedySentenceBenchmark {
    static final int TARGETS = 93;
    static final int UNITS = 256;
    static final int STEPS = 59;
    static final int START = 1;

    @Param({"lstm", "gru"})
    public String cell;

    @Param({"FLOAT32", "BF16"})
    public WeightPrecision weights;

    private TokenStepper<RecurrentState> stepper;
    private DecodingHead head;
    private RecurrentState encoded;
    private Tape.Scope noTape;

    @SuppressWarnings("unchecked")
    @Setup
    public void setUp() {
        noTape = Tape.pause();
        RecurrentLayer<?> layer = cell.equals("gru") ? new GRU("gru", TARGETS, UNITS, 1)
                : new LSTM("lstm", TARGETS, UNITS, 1);
        stepper = ((RecurrentLayer<RecurrentState>) layer).tokenStepper(weights);
        head = new DecodingHead(new Dense("dense", UNITS, TARGETS, Dense.Activation.SOFTMAX, 2), weights);
        Tensor h = Tensor.uniform(3, -1, 1, 1, UNITS);
        encoded = cell.equals("gru") ? new GRUState(h) : new LSTMState(h, Tensor.uniform(4, -1, 1, 1, UNITS));
        int[] byStep = new int[STEPS];
        RecurrentState stepped = stepByStep(byStep);
        int[] inLockstep = new int[STEPS];
        RecurrentState run = lockstep(inLockstep);
        if (!Arrays.equals(byStep, inLockstep) || !Arrays.equals(stepped.h().toArray(), run.h().toArray())) {
            throw new IllegalStateException(cell + ", " + weights + ": the run in lockstep and the steps one at a time"
                    + " disagree");
        }
    }

    @TearDown
    public void tearDown() {
        noTape.close();
    }

    /** The most likely token of one row's scores [1, V]. */
    private static int argmax(Tensor logits) {
        return logits.argmaxInRow(0, 0, TARGETS);
    }

    /** The steps one at a time; writes the tokens fed after the start into {@code chosen}. */
    private RecurrentState stepByStep(int[] chosen) {
        RecurrentState state = encoded;
        int[] token = {START};
        for (int t = 0; t < STEPS; t++) {
            state = stepper.step(state, token);
            token = new int[] {argmax(head.logits(state.h()))};
            chosen[t] = token[0];
        }
        return state;
    }

    /** The same steps as one run; part 0 writes the tokens into {@code chosen}. */
    private RecurrentState lockstep(int[] chosen) {
        return stepper.run(encoded, null, part -> (t, h) -> {
            if (t == 0) {
                return new int[] {START};
            }
            int token = argmax(head.logits(h));
            if (part == 0) {
                chosen[t - 1] = token;
            }
            return t == STEPS ? null : new int[] {token};
        });
    }

    @Benchmark
    public RecurrentState stepByStep() {
        return stepByStep(new int[STEPS]);
    }

    @Benchmark
    public RecurrentState lockstep() {
        return lockstep(new int[STEPS]);
    }
}
