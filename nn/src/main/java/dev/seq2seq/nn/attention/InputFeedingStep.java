package dev.seq2seq.nn.attention;

import dev.seq2seq.engine.Shapes;
import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.StackedProducts;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.engine.kernels.PackedMatrix;
import dev.seq2seq.engine.kernels.ParallelKernels;
import dev.seq2seq.nn.rnn.LSTMCell;
import java.util.Arrays;

/**
 * One step of an LSTM decoder with input feeding and global attention (dot or general score), as
 * one op: what {@code GatedRecurrentLayer.stepWithFeed} (or {@code stepWithProjection}), then
 * {@link GlobalAttention#attend} compute, with the same numbers to the bit, forward and backward.
 *
 * <pre>
 *   z   = x_t + h~_{t-1} W_feed          x_t: the tokens' rows of the input kernel plus its bias    [B, 4H]
 *   z  += h_{t-1} U ;  (h_t, c_t) = cell(z, c_{t-1})                                              (LSTMCell)
 *   q   = h_t W_a  (general)  or  h_t  (dot)
 *   a   = masked softmax over s of q . K[s] ;  ctx = sum_s a_s V[s]                                (AttentionOps)
 *   h~_t = tanh([ctx ; h_t] W_c)
 * </pre>
 *
 * Backward, in the order the separate ops run it (each line's derivative is that op's):
 *
 * <pre>
 *   dpre = dh~ (1 - h~^2) ;  d[ctx ; h] = dpre W_c^T ;  dW_c += [ctx ; h]^T dpre
 *   attention: dV, dK, dq                                    (AttentionOps.dotAttention's backward)
 *   dh += dq W_a^T ;  dW_a += h^T dq                         (general; dot: dh += dq)
 *   (dz, dc_{t-1}) = cell backward ;  dh_{t-1} += dz U^T ;  dU += h_{t-1}^T dz
 *   dh~_{t-1} += dz W_feed^T ;  dW_feed += h~_{t-1}^T dz ;  dx_t += dz
 * </pre>
 *
 * Why one op: a decoder trained with input feeding runs one step at a time, and as separate ops a
 * step is five to six parallel sections over 64 rows ([64, 256] x [256, 1024] products and
 * smaller), each a hand-off and a wait for the slower half, with serial work between them (the
 * concatenation, tanh, the token rows) during which the other core idles. Every row of a step
 * depends only on the same row before it (a sentence attends to its own source), so here each
 * core takes its sentences through the whole step, forward and then backward, in one section
 * each way, its products reading the weights packed once for the recorded pass. The weight
 * gradients are sums over all rows: each core stacks its rows of their operands, and at the end
 * of the backward pass {@link StackedProducts} makes each one column-split product over the rows
 * of the steps, the same chain of sums the separate ops' products make one step after another.
 * Each row and each sum is computed by the same kernels in the same order as by the separate ops
 * on any thread count, so the bits are theirs (InputFeedingStepTest compares them).
 *
 * <p>The results are views of one tensor [h | c | h~ | a] ([B, H] three times, then [B, S]): a
 * gradient reaching any of them lands in this op's backward.
 */
public final class InputFeedingStep {
    private InputFeedingStep() {
    }

    /**
     * The most a weight's stacked rows hold before they are summed, in floats (8 MB; 32 MB for the
     * four): 25 steps of 64 rows for U at 256 units. The step stacks for four matrices only, and
     * longer runs of steps summed at once trained faster than the engine's bound for any number of
     * matrices (12 steps).
     */
    private static final int STACKED_FLOATS = 2 << 20;

    /** Sentences a part takes at least (one sentence's decoding, or a beam of five, runs on one thread). */
    private static final int MIN_ROWS_PER_PART = 8;

    /**
     * The tokens' part x_t of z [B, 4H]: either rows {@code ids} of {@code table} plus {@code bias}
     * (a character decoder's one-hot input: row r is table[ids[r]] + bias, rounded before the feed's
     * product is added, as {@code MatrixOps.oneHotProjectionPlus} makes it), or a projection
     * already made ({@code projection} [B, 4H], a word decoder's embeddings times the kernel's
     * leading rows plus the bias, as {@code MatrixOps.matmulPlus} adds it).
     */
    public record Tokens(int[] ids, Tensor table, Tensor bias, Tensor projection) {
        public Tokens {
            boolean lookedUp = ids != null && table != null && bias != null;
            if (lookedUp == (projection != null) || !lookedUp && (ids != null || table != null || bias != null)) {
                throw new IllegalArgumentException("inputFeedingStep: the tokens are ids, a table and a bias, or a"
                        + " projection, not both nor neither");
            }
        }

        /** Rows of a table plus a bias. */
        public static Tokens lookedUp(int[] ids, Tensor table, Tensor bias) {
            return new Tokens(ids.clone(), table, bias, null);
        }

        /** A projection [B, 4H] made before. */
        public static Tokens projected(Tensor projection) {
            return new Tokens(null, null, null, projection);
        }

        int rows() {
            return ids != null ? ids.length : projection.dim(0);
        }
    }

    /** The LSTM's weights: W_feed [H, 4H] (the input kernel's fed-back rows, a view), U [H, 4H]. */
    public record Recurrence(Tensor feedKernel, Tensor recurrentKernel) {
    }

    /** h_t, c_t, h~_t [B, H] and the attention weights a_t [B, S]: views of the op's one tensor. */
    public record Result(Tensor h, Tensor c, Tensor attentional, Tensor weights) {
    }

    /**
     * One step from (h_{t-1}, c_{t-1}) and the feed h~_{t-1} [B, H], the tokens' part of z, the
     * LSTM's weights, the score kernel W_a [H, H] (null: the dot score), the output kernel W_c
     * [2H, H] and the memory (keys and values [S*B, H] time-major, lengths).
     */
    public static Result step(Tokens tokens, Tensor feed, Tensor h, Tensor c, Recurrence lstm, Tensor scoreKernel,
                              Tensor outputKernel, GlobalAttention.Memory memory) {
        Sizes s = Sizes.check(tokens, feed, h, c, lstm, scoreKernel, outputKernel, memory);
        ParallelKernels k = Backend.kernels();
        Tensor[] inputs = inputs(tokens, feed, h, c, lstm, scoreKernel, outputKernel, memory);
        boolean recorded = Tape.recording(inputs);
        Tensor packed = Tensor.zeros(3 * s.state() + s.batch * s.steps);
        Saved saved = new Saved(new float[s.batch * s.gates], new float[s.state()], new float[s.batch * 2 * s.units],
                scoreKernel == null ? null : new float[s.state()]);
        Weights packedWeights = Weights.forward(lstm, scoreKernel, outputKernel, recorded);
        k.forEachPart(s.batch, MIN_ROWS_PER_PART, (from, to) -> forwardRows(k, s, tokens, feed, h, c, lstm,
                scoreKernel, outputKernel, memory, packedWeights, saved, packed.data(), from, to));
        if (recorded) {
            Tape.record("inputFeedingStep", packed, () -> backward(k, s, tokens, feed, h, c, lstm, scoreKernel,
                    outputKernel, memory, saved, packed), inputs);
        }
        int state = s.state();
        return new Result(packed.rows(0, state).view(s.batch, s.units),
                packed.rows(state, 2 * state).view(s.batch, s.units),
                packed.rows(2 * state, 3 * state).view(s.batch, s.units),
                packed.rows(3 * state, 3 * state + s.batch * s.steps).view(s.batch, s.steps));
    }

    /** The sizes of a step, checked: B rows, H units, G = 4H gate columns, S source positions. */
    private record Sizes(int batch, int units, int gates, int steps, int[] lengths) {
        int state() {
            return batch * units;
        }

        static Sizes check(Tokens tokens, Tensor feed, Tensor h, Tensor c, Recurrence lstm, Tensor scoreKernel,
                            Tensor outputKernel, GlobalAttention.Memory memory) {
            int batch = h.dim(0);
            int units = h.dim(1);
            int gates = 4 * units;
            Shapes.checkShape("inputFeedingStep h", h, batch, units);
            Shapes.checkShape("inputFeedingStep c", c, batch, units);
            Shapes.checkShape("inputFeedingStep feed", feed, batch, units);
            Shapes.checkShape("inputFeedingStep W_feed", lstm.feedKernel(), units, gates);
            Shapes.checkShape("inputFeedingStep U", lstm.recurrentKernel(), units, gates);
            if (scoreKernel != null) {
                Shapes.checkShape("inputFeedingStep W_a", scoreKernel, units, units);
            }
            Shapes.checkShape("inputFeedingStep W_c", outputKernel, 2 * units, units);
            if (tokens.rows() != batch) {
                throw new IllegalArgumentException("inputFeedingStep: " + tokens.rows() + " token rows for a batch of "
                        + batch);
            }
            if (tokens.projection() != null) {
                Shapes.checkShape("inputFeedingStep projection", tokens.projection(), batch, gates);
            } else {
                Tensor table = tokens.table();
                if (table.rank() != 2 || table.dim(1) != gates || tokens.bias().size() != gates) {
                    throw new IllegalArgumentException("inputFeedingStep: table " + table.describe() + " and bias "
                            + tokens.bias().describe() + " do not make rows of " + gates);
                }
                for (int r = 0; r < batch; r++) {
                    if (tokens.ids()[r] < 0 || tokens.ids()[r] >= table.dim(0)) {
                        throw new IndexOutOfBoundsException("inputFeedingStep: id " + tokens.ids()[r] + " at row " + r
                                + " is outside the rows of " + table.describe());
                    }
                }
            }
            int steps = memory.steps();
            AttentionOps.checkMemory("inputFeedingStep", memory.values(), steps, batch, units, null);
            int[] lengths = AttentionOps.checkMemory("inputFeedingStep", memory.keys(), steps, batch, units,
                    memory.lengths());
            return new Sizes(batch, units, gates, steps, lengths);
        }
    }

    /** The tensors the op reads that may need gradients. */
    private static Tensor[] inputs(Tokens tokens, Tensor feed, Tensor h, Tensor c, Recurrence lstm,
                                   Tensor scoreKernel, Tensor outputKernel, GlobalAttention.Memory memory) {
        return Arrays.stream(new Tensor[] {tokens.projection(), tokens.table(), tokens.bias(), feed, h, c,
                        lstm.feedKernel(), lstm.recurrentKernel(), scoreKernel, outputKernel, memory.keys(),
                        memory.values()})
                .filter(t -> t != null).toArray(Tensor[]::new);
    }

    /**
     * What forward keeps for backward: the gate activations [B, 4H] (which backward turns into dz),
     * tanh(c_t) [B, H], [ctx ; h_t] [B, 2H] and q [B, H] (general; the dot score's q is h_t).
     */
    private record Saved(float[] act, float[] tanhC, float[] joined, float[] query, boolean[] spent) {
        Saved(float[] act, float[] tanhC, float[] joined, float[] query) {
            this(act, tanhC, joined, query, new boolean[1]);
        }

        /** Backward turns the activations into dz: a second backward through this forward would read gradients. */
        void startBackward() {
            if (spent[0]) {
                throw new IllegalStateException("inputFeedingStep: a second backward through one forward, whose gate"
                        + " activations the first turned into gradients; run the forward again");
            }
            spent[0] = true;
        }
    }

    /**
     * The weights packed in strips for the products, the tape's copies made once for the recorded
     * pass ({@link Tape#packedInForward}); null when nothing is recorded (products then read the
     * weights as they are: the same bits).
     */
    private record Weights(PackedMatrix feed, PackedMatrix recurrent, PackedMatrix score, PackedMatrix output) {
        static Weights forward(Recurrence lstm, Tensor scoreKernel, Tensor outputKernel, boolean recorded) {
            if (!recorded) {
                return null;
            }
            return new Weights(Tape.packedInForward(lstm.feedKernel()), Tape.packedInForward(lstm.recurrentKernel()),
                    scoreKernel == null ? null : Tape.packedInForward(scoreKernel), Tape.packedInForward(outputKernel));
        }

        /** The transposes, packed once for the backward pass ({@link Tape#packedTransposedInBackward}). */
        static Weights backward(Recurrence lstm, Tensor scoreKernel, Tensor outputKernel) {
            return new Weights(Tape.packedTransposedInBackward(lstm.feedKernel()),
                    Tape.packedTransposedInBackward(lstm.recurrentKernel()),
                    scoreKernel == null ? null : Tape.packedTransposedInBackward(scoreKernel),
                    Tape.packedTransposedInBackward(outputKernel));
        }
    }

    /** c[rows, n] (+)= a[rows, k] . b, over the packed copy when there is one. */
    private static void product(Kernels k, float[] a, int aOff, Tensor b, PackedMatrix packed, float[] c, int cOff,
                                int rows, boolean accumulate) {
        if (packed != null) {
            k.matmulPacked(a, aOff, b.dim(0), packed, c, cOff, b.dim(1), rows, accumulate);
        } else {
            k.matmul(a, aOff, b.data(), b.offset(), c, cOff, rows, b.dim(0), b.dim(1), accumulate);
        }
    }

    /** c[rows, k] += a[rows, n] . b^T for b [k, n], over the packed b^T when there is one. */
    private static void productByTransposed(Kernels k, float[] a, int aOff, Tensor b, PackedMatrix transposed,
                                            float[] c, int cOff, int rows) {
        if (transposed != null) {
            k.matmulPacked(a, aOff, b.dim(1), transposed, c, cOff, b.dim(0), rows, true);
        } else {
            k.matmulTransB(a, aOff, b.data(), b.offset(), c, cOff, rows, b.dim(1), b.dim(0), true);
        }
    }

    /** The forward of sentences [from, to), each line as the separate op computes it. */
    private static void forwardRows(Kernels k, Sizes s, Tokens tokens, Tensor feed, Tensor h, Tensor c,
                                    Recurrence lstm, Tensor scoreKernel, Tensor outputKernel,
                                    GlobalAttention.Memory memory, Weights w, Saved saved, float[] out, int from,
                                    int to) {
        int rows = to - from;
        int units = s.units;
        int gates = s.gates;
        int state = s.state();
        float[] z = saved.act;
        int zAt = from * gates;
        // z = h~_{t-1} W_feed, then the tokens' part added (matmulPlus, or oneHotProjectionPlus's rounded row)
        product(k, feed.data(), feed.offset() + from * units, lstm.feedKernel(), w == null ? null : w.feed, z, zAt,
                rows, false);
        if (tokens.projection() != null) {
            Tensor p = tokens.projection();
            k.add(z, zAt, p.data(), p.offset() + zAt, z, zAt, rows * gates);
        } else {
            float[] row = new float[gates];
            Tensor table = tokens.table();
            Tensor bias = tokens.bias();
            for (int r = from; r < to; r++) {
                k.add(table.data(), table.offset() + tokens.ids()[r] * gates, bias.data(), bias.offset(), row, 0,
                        gates);
                k.add(z, r * gates, row, 0, z, r * gates, gates);
            }
        }
        // z += h_{t-1} U, then the cell: the activations over z, c_t, tanh(c_t), h_t
        product(k, h.data(), h.offset() + from * units, lstm.recurrentKernel(), w == null ? null : w.recurrent, z,
                zAt, rows, true);
        LSTMCell.forward(k, rows, units, z, zAt, c.data(), c.offset() + from * units, out, state + from * units,
                saved.tanhC, from * units, out, from * units);
        // q = h_t W_a (general), or h_t itself (dot); both whole-batch arrays, row b at b * H
        float[] query = out;
        if (scoreKernel != null) {
            product(k, out, from * units, scoreKernel, w == null ? null : w.score, saved.query, from * units, rows,
                    false);
            query = saved.query;
        }
        // the weights a [B, S] after h~, the context into [ctx ; h_t]'s first half
        float[] context = new float[rows * units];
        AttentionOps.attendRows(k, query, 0, memory.keys(), memory.values(), s.steps, s.batch, s.lengths, out,
                3 * state, context, -from * units, from, to);
        float[] joined = saved.joined;
        for (int r = from; r < to; r++) {
            System.arraycopy(context, (r - from) * units, joined, r * 2 * units, units);
            System.arraycopy(out, r * units, joined, r * 2 * units + units, units);
        }
        // h~_t = tanh([ctx ; h_t] W_c)
        int attentionalAt = 2 * state + from * units;
        product(k, joined, from * 2 * units, outputKernel, w == null ? null : w.output, out, attentionalAt, rows,
                false);
        k.tanh(out, attentionalAt, out, attentionalAt, rows * units);
    }

    /** The backward: each part's sentences through the step in one section; the weight gradients at the pass's end. */
    private static void backward(ParallelKernels k, Sizes s, Tokens tokens, Tensor feed, Tensor h, Tensor c,
                                 Recurrence lstm, Tensor scoreKernel, Tensor outputKernel,
                                 GlobalAttention.Memory memory, Saved saved, Tensor packed) {
        saved.startBackward();
        int state = s.state();
        float[] out = packed.data();
        float[] gradient = packed.gradData(); // dh_t, dc_t, dh~_t, da_t: what reached the results
        float[] dpre = new float[state];
        float[] dq = scoreKernel == null ? null : new float[state];
        Weights transposed = Weights.backward(lstm, scoreKernel, outputKernel);
        // every gradient array the parts write into is made here, on one thread (an input's is made on first use)
        Gradients g = new Gradients(tokens.projection() != null && tokens.projection().requiresGrad()
                ? tokens.projection().gradData() : null, feed.requiresGrad() ? feed.gradData() : null,
                h.requiresGrad() ? h.gradData() : null, c.requiresGrad() ? c.gradData() : null,
                memory.keys().requiresGrad() ? memory.keys().gradData() : null,
                memory.values().requiresGrad() ? memory.values().gradData() : null);
        // the weight gradients, sums over all rows: each part stacks its rows of their operands, summed with
        // the other steps' at the pass's end (StackedProducts; when it stacks nothing, they are summed here)
        WeightGradient[] sums = {
            // dW_c += [ctx ; h]^T dpre ; dW_a += h^T dq (general) ; dU += h_{t-1}^T dz ; dW_feed += h~_{t-1}^T dz
            new WeightGradient(outputKernel, saved.joined, 0, dpre, s.batch),
            new WeightGradient(scoreKernel, out, 0, dq, s.batch),
            new WeightGradient(lstm.recurrentKernel(), h.data(), h.offset(), saved.act, s.batch),
            new WeightGradient(lstm.feedKernel(), feed.data(), feed.offset(), saved.act, s.batch)};
        k.forEachPart(s.batch, MIN_ROWS_PER_PART, (from, to) -> {
            backwardRows(k, s, tokens, feed, h, c, lstm, scoreKernel, outputKernel, memory, saved, transposed, g,
                    out, gradient, dpre, dq, from, to);
            for (WeightGradient sum : sums) {
                sum.stackRows(from, to);
            }
        });
        for (WeightGradient sum : sums) {
            sum.sumUnstacked(k);
        }
        if (tokens.table() != null) { // the rows' gradients, then the bias's: oneHotProjectionPlus's order
            float[] dz = saved.act;
            if (tokens.table().requiresGrad()) {
                k.scatterAddRows(dz, 0, s.gates, tokens.ids(), 0, s.batch, tokens.table().gradData(),
                        tokens.table().offset());
            }
            if (tokens.bias().requiresGrad()) {
                k.sumRows(dz, 0, tokens.bias().gradData(), tokens.bias().offset(), s.batch, s.gates, true);
            }
        }
    }

    /**
     * dW += A^T dC over a step's rows for a weight W [m, n] (null, or wanting no gradient: nothing
     * to do), A [B, m] at {@code a[aOff]} and dC [B, n]: stacked for the pass's end when
     * {@link StackedProducts} takes it (each part copying its rows), else summed after the parts.
     */
    private static final class WeightGradient {
        private final Tensor weight;
        private final float[] a;
        private final int aOff;
        private final float[] dC;
        private final int batch;
        private final StackedProducts.Rows stacked;

        WeightGradient(Tensor weight, float[] a, int aOff, float[] dC, int batch) {
            this.weight = weight != null && weight.requiresGrad() ? weight : null;
            this.a = a;
            this.aOff = aOff;
            this.dC = dC;
            this.batch = batch;
            this.stacked = this.weight == null ? null : StackedProducts.reserve(this.weight, batch, STACKED_FLOATS);
        }

        /** A part's rows [from, to) into the stack. */
        void stackRows(int from, int to) {
            if (stacked != null) {
                int m = weight.dim(0);
                int n = weight.dim(1);
                stacked.copy(from, to, a, aOff, m, dC, 0, n);
            }
        }

        /** The product now, over all the step's rows, when nothing was stacked. */
        void sumUnstacked(Kernels k) {
            if (weight != null && stacked == null) {
                k.matmulTransA(a, aOff, dC, 0, weight.gradData(), weight.offset(), weight.dim(0), batch,
                        weight.dim(1), true);
            }
        }
    }

    /** The inputs' gradient arrays (null: not wanted), made before the parts write into them. */
    private record Gradients(float[] projection, float[] feed, float[] h, float[] c, float[] keys, float[] values) {
    }

    /** The backward of sentences [from, to) up to the weight gradients, each line as the separate op runs it. */
    private static void backwardRows(Kernels k, Sizes s, Tokens tokens, Tensor feed, Tensor h, Tensor c,
                                     Recurrence lstm, Tensor scoreKernel, Tensor outputKernel,
                                     GlobalAttention.Memory memory,
                                     Saved saved, Weights transposed, Gradients g, float[] out, float[] gradient,
                                     float[] dpre, float[] dq, int from, int to) {
        int rows = to - from;
        int units = s.units;
        int gates = s.gates;
        int state = s.state();
        int at = from * units;
        int n = rows * units;
        // dpre = dh~ (1 - h~^2), written into zeros as tanh's backward writes it
        for (int i = at; i < at + n; i++) {
            float y = out[2 * state + i];
            dpre[i] += gradient[2 * state + i] * (1f - y * y);
        }
        // d[ctx ; h] [rows, 2H] = dpre W_c^T into zeros; then its halves: dctx, and dh = dh_t + its half
        float[] dJoined = new float[rows * 2 * units];
        productByTransposed(k, dpre, at, outputKernel, transposed.output, dJoined, 0, rows);
        float[] dh = Arrays.copyOfRange(gradient, at, at + n);
        float[] dContext = new float[n];
        for (int r = 0; r < rows; r++) {
            k.axpy(1f, dJoined, r * 2 * units, dContext, r * units, units);
            k.axpy(1f, dJoined, r * 2 * units + units, dh, r * units, units);
        }
        // attention: dV, dK, and dq (into zeros, or straight into dh for the dot score)
        float[] query = scoreKernel == null ? out : saved.query;
        float[] dQuery = scoreKernel == null ? dh : dq;
        int dQueryAt = scoreKernel == null ? -at : 0;
        AttentionOps.attendRowsBackward(k, query, 0, memory.keys(), g.keys, memory.values(), g.values, s.steps,
                s.batch, s.lengths, out, 3 * state, gradient, 3 * state, dContext, -at, dQuery, dQueryAt, from, to);
        if (scoreKernel != null) { // dh += dq W_a^T
            productByTransposed(k, dq, at, scoreKernel, transposed.score, dh, 0, rows);
        }
        // the cell: dz [rows, 4H] over the activations, and dc_{t-1}
        float[] dc = Arrays.copyOfRange(gradient, state + at, state + at + n);
        float[] dz = saved.act;
        float[] dcPrev = new float[n];
        for (int r = 0; r < rows; r++) {
            int zAt = (from + r) * gates;
            LSTMCell.backwardRow(k, units, dz, zAt, c.data(), c.offset() + (from + r) * units, saved.tanhC,
                    (from + r) * units, dh, r * units, dc, r * units, dz, zAt, dcPrev, r * units);
        }
        // dh~_{t-1} += dz W_feed^T ; dx_t += dz (a projection's gradient; a table's is added after the parts)
        if (g.feed != null) {
            productByTransposed(k, dz, from * gates, lstm.feedKernel(), transposed.feed, g.feed, feed.offset() + at,
                    rows);
        }
        if (g.projection != null) {
            k.axpy(1f, dz, from * gates, g.projection, tokens.projection().offset() + from * gates, rows * gates);
        }
        if (g.h != null) { // dh_{t-1} = dz U^T into zeros, then added (the LSTM op's order)
            float[] dhPrev = new float[n];
            productByTransposed(k, dz, from * gates, lstm.recurrentKernel(), transposed.recurrent, dhPrev, 0, rows);
            k.axpy(1f, dhPrev, 0, g.h, h.offset() + at, n);
        }
        if (g.c != null) {
            k.axpy(1f, dcPrev, 0, g.c, c.offset() + at, n);
        }
    }
}
