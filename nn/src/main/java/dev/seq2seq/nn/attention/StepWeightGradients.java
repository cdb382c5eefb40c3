package dev.seq2seq.nn.attention;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.ParallelKernels;
import java.util.Arrays;

/**
 * The weight gradients of {@link InputFeedingStep}'s steps, summed once at the end of the backward
 * pass over the rows of all the steps:
 *
 * <pre>
 *   dW_c    += [ctx ; h_t]^T dpre      [2H, H]
 *   dW_a    += h_t^T dq                [H, H]    (general score)
 *   dU      += h_{t-1}^T dz            [H, 4H]
 *   dW_feed += h~_{t-1}^T dz           [H, 4H]
 * </pre>
 *
 * Each step's backward copies its rows of the six operands here while they are in cache, after
 * the rows of the steps whose backward ran before it (the last step's first); {@link #finish}
 * then makes each sum one product over the stacked rows, k = steps x B instead of B.
 *
 * <p>Why: a step's own products ([256, 64]^T x [64, 1,024] and smaller) add 64 rows into the whole
 * of each gradient, so every step read and wrote 2.8 MB of gradients for 93 MFLOP and ran at about
 * 130 GFLOP/s on both cores, the largest part of a step. Stacked, each gradient is read and written
 * once a pass.
 *
 * <p>The same bits: the product kernels sum each element of C as one chain of FMAs that continues
 * from the value C holds, over k in order (a long k is cut into blocks that carry the sum in C), so
 * one product over the rows of steps T-1, ..., 0 stacked in that order is the very chain the
 * steps' products made one after another. Every step of a pass that shares the output kernel adds
 * here in the order the pass runs them, so a second sequence through the same weights in one pass
 * keeps its place too.
 */
final class StepWeightGradients implements Tape.Deferred {
    /**
     * The most the arrays hold, in floats (32 MB): a batch of 46 steps of 64 rows with the general
     * score and 256 units, 11 KiB a row; past it the rows so far are summed. Unbounded, the arrays
     * would grow with the longest batch: 150 steps of 64 rows would hold 105 MB.
     */
    static final int MAX_FLOATS = 8 << 20;

    /** The name the profile gives this work. */
    static final String NAME = "(inputFeedingStep: weight gradients)";

    /** The weights of the pass's steps (its first step's views); null between passes, so that the tape's weak key can go. */
    private InputFeedingStep.Recurrence lstm;
    private Tensor scoreKernel;
    private Tensor outputKernel;
    private int units;
    private int gates;

    /** Which sums the pass makes (the weights that want a gradient). */
    private boolean output;
    private boolean score;
    private boolean recurrent;
    private boolean feed;

    /** Rows stacked so far this pass. */
    private int rows;

    // the stacked operands, R rows each; kept from pass to pass, grown when a pass needs more
    private float[] joined = new float[0];   // [ctx ; h_t]   [R, 2H]
    private float[] dpre = new float[0];     //               [R, H]
    private float[] state = new float[0];    // h_t           [R, H]
    private float[] dq = new float[0];       //               [R, H]
    private float[] previous = new float[0]; // h_{t-1}       [R, H]
    private float[] fed = new float[0];      // h~_{t-1}      [R, H]
    private float[] dz = new float[0];       //               [R, 4H]

    /**
     * The sums for a step over these weights, the ones the running backward pass gathers, under the
     * output kernel's array (a weight's array lives as long as the model; the tensors a decoder
     * hands a step may be views made anew at each step).
     */
    static StepWeightGradients ofPass(InputFeedingStep.Recurrence lstm, Tensor scoreKernel, Tensor outputKernel) {
        StepWeightGradients sums = Tape.deferredInBackward(NAME, outputKernel.data(), StepWeightGradients.class,
                StepWeightGradients::new);
        sums.use(lstm, scoreKernel, outputKernel);
        return sums;
    }

    @Override
    public void start() {
        rows = 0;
        lstm = null;
        scoreKernel = null;
        outputKernel = null;
    }

    /** Takes the pass's weights on first use; a later step must bring the same ones. */
    private void use(InputFeedingStep.Recurrence lstm, Tensor scoreKernel, Tensor outputKernel) {
        if (this.outputKernel == null) {
            this.lstm = lstm;
            this.scoreKernel = scoreKernel;
            this.outputKernel = outputKernel;
            units = lstm.recurrentKernel().dim(0);
            gates = lstm.recurrentKernel().dim(1);
            output = outputKernel.requiresGrad();
            score = scoreKernel != null && scoreKernel.requiresGrad();
            recurrent = lstm.recurrentKernel().requiresGrad();
            feed = lstm.feedKernel().requiresGrad();
        } else if (!sameMatrix(this.outputKernel, outputKernel) || !sameMatrix(this.scoreKernel, scoreKernel)
                || !sameMatrix(this.lstm.recurrentKernel(), lstm.recurrentKernel())
                || !sameMatrix(this.lstm.feedKernel(), lstm.feedKernel())) {
            throw new IllegalStateException("inputFeedingStep: steps of one backward pass have output kernels "
                    + Arrays.toString(outputKernel.shape()) + " in one array but not the same weights");
        }
    }

    /** Whether a and b are the same matrix of the same array (or both absent). */
    private static boolean sameMatrix(Tensor a, Tensor b) {
        return a == b || a != null && b != null && a.data() == b.data() && a.offset() == b.offset()
                && Arrays.equals(a.shape(), b.shape());
    }

    /**
     * Makes room for a step's {@code batch} rows after those stacked so far and returns the first;
     * when they would pass {@link #MAX_FLOATS}, the rows stacked so far are summed first and the
     * step's rows start the arrays again (the same chains, continued).
     */
    int reserve(int batch) {
        if (rows > 0 && (long) (rows + batch) * floatsPerRow() > MAX_FLOATS) {
            sum();
        }
        int first = rows;
        rows += batch;
        joined = output ? room(joined, 2 * units) : joined;
        dpre = output ? room(dpre, units) : dpre;
        state = score ? room(state, units) : state;
        dq = score ? room(dq, units) : dq;
        previous = recurrent ? room(previous, units) : previous;
        fed = feed ? room(fed, units) : fed;
        dz = recurrent || feed ? room(dz, gates) : dz;
        return first;
    }

    /**
     * The array with room for the rows stacked so far, each {@code width} wide: itself, or grown
     * (doubled, up to what {@link #MAX_FLOATS} lets the arrays hold).
     */
    private float[] room(float[] stacked, int width) {
        int held = stacked.length / width;
        return rows <= held ? stacked
                : Arrays.copyOf(stacked, Math.max(rows, Math.min(2 * held, MAX_FLOATS / floatsPerRow())) * width);
    }

    /** The floats a row takes in the arrays the pass's sums need. */
    private int floatsPerRow() {
        return (output ? 3 * units : 0) + (score ? 2 * units : 0) + (recurrent ? units : 0)
                + (feed ? units : 0) + (recurrent || feed ? gates : 0);
    }

    /**
     * Copies sentences [from, to) of a step whose rows start at {@code first} ({@link #reserve}):
     * each operand is read at its row {@code from}, [ctx ; h_t] and dz from the step's own arrays,
     * the others at their given offsets. Parts copy their own sentences, so any part may call it.
     */
    void copyRows(int first, int from, int to, float[] joinedRows, float[] dpreRows, float[] stateRows, int stateAt,
                  float[] dqRows, float[] previousRows, int previousAt, float[] fedRows, int fedAt, float[] dzRows) {
        int n = to - from;
        int at = (first + from) * units; // where the rows go in the arrays H wide
        if (output) {
            System.arraycopy(joinedRows, from * 2 * units, joined, 2 * at, n * 2 * units);
            System.arraycopy(dpreRows, from * units, dpre, at, n * units);
        }
        if (score) {
            System.arraycopy(stateRows, stateAt + from * units, state, at, n * units);
            System.arraycopy(dqRows, from * units, dq, at, n * units);
        }
        if (recurrent) {
            System.arraycopy(previousRows, previousAt + from * units, previous, at, n * units);
        }
        if (feed) {
            System.arraycopy(fedRows, fedAt + from * units, fed, at, n * units);
        }
        if (recurrent || feed) {
            System.arraycopy(dzRows, from * gates, dz, (first + from) * gates, n * gates);
        }
    }

    /** The four sums over the rows stacked since the last sum. */
    @Override
    public void finish() {
        sum();
        start(); // holds no weight until the next pass
    }

    /** The four sums over the rows stacked since the last, split by columns over the kernel threads; none left after. */
    private void sum() {
        ParallelKernels k = Backend.kernels();
        if (rows > 0) {
            if (output) { // dW_c += [ctx ; h]^T dpre
                k.matmulTransA(joined, 0, dpre, 0, outputKernel.gradData(), outputKernel.offset(), 2 * units, rows,
                        units, true);
            }
            if (score) { // dW_a += h^T dq
                k.matmulTransA(state, 0, dq, 0, scoreKernel.gradData(), scoreKernel.offset(), units, rows, units, true);
            }
            if (recurrent) { // dU += h_{t-1}^T dz
                Tensor u = lstm.recurrentKernel();
                k.matmulTransA(previous, 0, dz, 0, u.gradData(), u.offset(), units, rows, gates, true);
            }
            if (feed) { // dW_feed += h~_{t-1}^T dz
                Tensor w = lstm.feedKernel();
                k.matmulTransA(fed, 0, dz, 0, w.gradData(), w.offset(), units, rows, gates, true);
            }
        }
        rows = 0;
    }
}
