package dev.seq2seq.bench;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.nn.rnn.GRU;
import dev.seq2seq.nn.rnn.GRUReferenceCell;
import dev.seq2seq.nn.rnn.GRUState;
import dev.seq2seq.nn.rnn.LSTM;
import dev.seq2seq.nn.rnn.LSTMReferenceCell;
import dev.seq2seq.nn.rnn.LSTMState;
import java.util.List;
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
 * One recurrent cell step on the seed's shapes (batch 64, 93 one-hot inputs, H = 256), forward
 * and backward: the fused step (the layer's own path, hand-written backward) against the same
 * step composed from autograd ops. The kernels are the backend's; run JMH again with
 * {@code -jvmArgsAppend -Dseq2seq.backend=scalar} for the scalar reference. {@code @Setup} fails
 * if the two variants disagree.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Dseq2seq.quiet=true"})
public class CellStepBenchmark {
    static final int BATCH = 64;
    static final int INPUTS = 93;
    static final int UNITS = 256;

    @Param({"lstm", "gru"})
    public String cell;

    private LSTM lstm;
    private GRU gru;
    private Tensor x;
    private Tensor h;
    private Tensor c;
    private Tensor projection;

    @Setup
    public void setUp() {
        lstm = new LSTM("lstm", INPUTS, UNITS, 1);
        gru = new GRU("gru", INPUTS, UNITS, 2);
        x = Tensor.uniform(3, -1, 1, BATCH, INPUTS).requireGrad();
        h = Tensor.uniform(4, -1, 1, BATCH, UNITS).requireGrad();
        c = Tensor.uniform(5, -1, 1, BATCH, UNITS).requireGrad();
        projection = Tensor.uniform(6, -1, 1, BATCH, UNITS);
        float[] fused = gradientOfH(true);
        float[] composed = gradientOfH(false);
        for (int i = 0; i < fused.length; i++) {
            if (Math.abs(fused[i] - composed[i]) > 1e-4f * (1 + Math.abs(composed[i]))) {
                throw new IllegalStateException(cell + ": fused and composed steps disagree on dh at " + i + ": "
                        + fused[i] + " vs " + composed[i]);
            }
        }
    }

    private float[] gradientOfH(boolean fusedPath) {
        h.zeroGrad();
        step(fusedPath);
        return h.grad().toArray();
    }

    /** Forward one step, then backward from sum(h_next * projection). */
    private Tensor step(boolean fusedPath) {
        Tape tape = new Tape();
        Tensor next;
        try (Tape.Scope ignored = tape.activate()) {
            if (cell.equals("lstm")) {
                LSTMState state = new LSTMState(h, c);
                next = fusedPath ? lstm.step(state, x).h()
                        : LSTMReferenceCell.step(x, state, lstm.kernel(), lstm.recurrentKernel(), lstm.bias()).h();
            } else {
                GRUState state = new GRUState(h);
                next = fusedPath ? gru.step(state, x).h()
                        : GRUReferenceCell.step(x, state, gru.kernel(), gru.recurrentKernel(), gru.bias()).h();
            }
            tape.backward(MatrixOps.sum(MatrixOps.mul(next, projection)));
        }
        for (Tensor parameter : List.of(x, h, c)) {
            parameter.zeroGrad();
        }
        (cell.equals("lstm") ? lstm.parameters() : gru.parameters()).forEach(Tensor::zeroGrad);
        return next;
    }

    @Benchmark
    public Tensor fused() {
        return step(true);
    }

    @Benchmark
    public Tensor composed() {
        return step(false);
    }
}
