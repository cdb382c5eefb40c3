package dev.seq2seq.nn.attention;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.engine.kernels.ParallelKernels;
import java.util.Arrays;

/**
 * The three batched products of attention, each forward followed by its backward, on memory laid
 * out as the encoder writes it: time-major, row {@code s * B + b} is source position s of
 * sentence b. Sentence b's rows are then a matrix whose leading dimension is B * D, which the
 * kernels take as it is: nothing is transposed or copied. Notation as in the engine's ops: dX is
 * d(loss)/dX, and backward adds (+=) into the inputs' gradients.
 *
 * <pre>
 *   dot scores       e[b, s] = q[b] . K[s, b]                for s &lt; len[b], -infinity beyond
 *                    dq[b]   += sum_s de[b, s] K[s, b]        dK[s, b] += de[b, s] q[b]
 *   additive scores  u[s, b] = tanh(q[b] + K[s, b]),  e[b, s] = u[s, b] . v     (s &lt; len[b])
 *                    dpre     = de[b, s] v (1 - u^2)           dq[b] += sum_s dpre,  dK[s, b] += dpre
 *                    dv      += sum_{b, s} de[b, s] u[s, b]
 *   masked softmax   a[b, s] = exp(e[b, s]) / sum_{s' &lt; len[b]} exp(e[b, s'])  for s &lt; len[b], exactly 0 beyond
 *                    de[b, s] += a[b, s] (da[b, s] - sum_{s' &lt; len[b]} a[b, s'] da[b, s'])
 *   weighted sum     c[b]    = sum_s a[b, s] V[s, b]
 *                    da[b, s] += dc[b] . V[s, b]               dV[s, b] += a[b, s] dc[b]
 * </pre>
 *
 * The masked softmax reads only each sentence's real positions and writes exact zeros beyond them
 * (the scores there are -infinity as well), so a padded source position takes no part, forward or
 * backward. Every sentence must have at least one position. {@link #dotAttention} runs the dot
 * scores, the softmax and the weighted sum as one op, with the same numbers.
 */
public final class AttentionOps {
    private AttentionOps() {
    }

    private static ParallelKernels k() {
        return Backend.kernels();
    }

    /**
     * The dot scores and the weighted sum, forward and backward, each share the batch's sentences
     * out among the threads in one parallel section, at least this many sentences a part (one
     * sentence's decoding, or a beam of five, runs on the calling thread). Each sentence's values
     * and gradients are computed by the same kernels in the same order as on one thread: the same
     * bits on any thread count. A batch of 64 (a decoder trained one step at a time) made 32 small
     * sections a step for the dot scores alone, and their hand-offs cost more than their sums.
     */
    private static final int MIN_SENTENCES_PER_PART = 8;

    /**
     * q [B, D], K [S*B, D] time-major, lengths [B] (null: all S) -> e [B, S]. Source position s of
     * every sentence at once: K's block s is [B, D] like q, so e[., s] is the row sums of K_s * q,
     * two vector kernels over B * D values (not B tiny products). {@code GlobalAttention} runs it
     * inside {@link #dotAttention}; on its own it is the reference that op is checked against.
     */
    public static Tensor dotScores(Tensor query, Tensor keys, int steps, int[] lengths) {
        int batch = query.dim(0);
        int depth = query.dim(1);
        int[] lens = checkMemory("dotScores", keys, steps, batch, depth, lengths);
        float[] flat = new float[steps * batch];
        k().forEachPart(batch, MIN_SENTENCES_PER_PART, (from, to) -> {
            int rows = to - from;
            float[] product = new float[rows * depth];
            for (int s = 0; s < steps; s++) {
                k().mul(keys.data(), keys.offset() + (s * batch + from) * depth, query.data(),
                        query.offset() + from * depth, product, 0, rows * depth);
                k().sumColumns(product, 0, flat, s * batch + from, rows, depth, false);
            }
        });
        Tensor scores = Tensor.zeros(batch, steps);
        float[] e = scores.data();
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < steps; s++) {
                e[b * steps + s] = s < lens[b] ? flat[s * batch + b] : Float.NEGATIVE_INFINITY;
            }
        }
        if (Tape.recording(query, keys)) {
            Tape.record("dotScores", scores, () -> {
                // the gradient arrays made here, on one thread (an input's is made on first use);
                // each sentence's rows of dq and dK are its own: its part writes them alone
                float[] de = scores.gradData();
                float[] dq = query.requiresGrad() ? query.gradData() : null;
                float[] dK = keys.requiresGrad() ? keys.gradData() : null;
                k().forEachPart(batch, MIN_SENTENCES_PER_PART, (from, to) -> {
                    for (int b = from; b < to; b++) {
                        for (int s = 0; s < lens[b]; s++) {
                            float gradient = de[b * steps + s];
                            int row = (s * batch + b) * depth;
                            if (dq != null) {
                                // dq[b] += de[b, s] K[s, b]
                                k().axpy(gradient, keys.data(), keys.offset() + row, dq, query.offset() + b * depth,
                                        depth);
                            }
                            if (dK != null) {
                                // dK[s, b] += de[b, s] q[b]
                                k().axpy(gradient, query.data(), query.offset() + b * depth, dK, keys.offset() + row,
                                        depth);
                            }
                        }
                    }
                });
            }, query, keys);
        }
        return scores;
    }

    /** The context c [B, Dv] and the weights a [B, S] of {@link #dotAttention}: views of one tensor. */
    public record Attended(Tensor context, Tensor weights) {
    }

    /**
     * q [B, D], K [S*B, D] and V [S*B, Dv] time-major, lengths [B] (null: all S) -> the context c
     * [B, Dv] and the weights a [B, S]: {@link #dotScores}, {@link #maskedSoftmax} and
     * {@link #weightedSum} as one op. Each part of the sentences goes through all three in one
     * parallel section forward and one backward, where the three ops made three sections (and the
     * softmax ran on one thread), a scores tensor, and gradient arrays for the scores and the
     * weights; in backward each memory row's dV and dK are added while the row is in cache, where
     * the ops made a pass over the whole memory each. Every sentence's numbers come from the same
     * kernels in the same order as through the three ops, so the same bits (AttentionOpsTest
     * compares them). c and a are views of one tensor [B*Dv + B*S] (c first), as the recurrences
     * hand out their results: a gradient reaching either lands in the op's backward, so the weights
     * are as differentiable as the context.
     */
    public static Attended dotAttention(Tensor query, Tensor keys, Tensor values, int steps, int[] lengths) {
        int batch = query.dim(0);
        int depth = query.dim(1);
        int[] lens = checkMemory("dotAttention", keys, steps, batch, depth, lengths);
        int valueDepth = values.dim(1);
        checkMemory("dotAttention", values, steps, batch, valueDepth, null);
        int contextSize = batch * valueDepth;
        Tensor packed = Tensor.zeros(contextSize + batch * steps);
        float[] out = packed.data(); // c [B, Dv] at 0, a [B, S] at contextSize
        k().forEachPart(batch, MIN_SENTENCES_PER_PART, (from, to) -> attendRows(k(), query.data(), query.offset(),
                keys, values, steps, batch, lens, out, contextSize, out, 0, from, to));
        if (Tape.recording(query, keys, values)) {
            Tape.record("dotAttention", packed, () -> dotAttentionBackward(query, keys, values, steps, lens, packed),
                    query, keys, values);
        }
        return new Attended(packed.rows(0, contextSize).view(batch, valueDepth),
                packed.rows(contextSize, contextSize + batch * steps).view(batch, steps));
    }

    /**
     * {@link #dotAttention}'s forward for sentences [from, to): sentence b's query at {@code qOff +
     * b * D} of {@code query}, its weights written at {@code aOff + b * S} of {@code a}, its context
     * added at {@code cOff + b * Dv} of {@code context} (zeros there). For an op that attends inside
     * a part of its own ({@link InputFeedingStep}); the kernels run on the calling thread.
     */
    static void attendRows(Kernels k, float[] query, int qOff, Tensor keys, Tensor values, int steps, int batch,
                           int[] lens, float[] a, int aOff, float[] context, int cOff, int from, int to) {
        int depth = keys.dim(1);
        int valueDepth = values.dim(1);
        int rows = to - from;
        // e[b, s] = q[b] . K[s, b], the part's sentences at each position s (as dotScores)
        float[] product = new float[rows * depth];
        float[] flat = new float[steps * rows]; // [s, b - from]
        for (int s = 0; s < steps; s++) {
            k.mul(keys.data(), keys.offset() + (s * batch + from) * depth, query, qOff + from * depth, product, 0,
                    rows * depth);
            k.sumColumns(product, 0, flat, s * rows, rows, depth, false);
        }
        float[] scores = new float[steps];
        for (int b = from; b < to; b++) {
            // a[b] = softmax over the real positions (as maskedSoftmax); exactly 0 beyond
            for (int s = 0; s < lens[b]; s++) {
                scores[s] = flat[s * rows + b - from];
            }
            k.softmaxRows(scores, 0, a, aOff + b * steps, 1, lens[b]);
            // c[b] = sum_s a[b, s] V[s, b], positions in order (as weightedSum)
            for (int s = 0; s < steps; s++) {
                float weight = a[aOff + b * steps + s];
                if (weight != 0) {
                    k.axpy(weight, values.data(), values.offset() + (s * batch + b) * valueDepth, context,
                            cOff + b * valueDepth, valueDepth);
                }
            }
        }
    }

    /**
     * The backward of {@link #dotAttention}, a part of the sentences at a time, each line as the
     * three ops' backward computes it (see the class comment):
     * <pre>
     *   da[b, s] = (what reached a) + dc[b] . V[s, b]        dV[s, b] += a[b, s] dc[b]
     *   de[b, s] = a (da - sum a da)                          over the real positions
     *   dq[b]   += sum_s de[b, s] K[s, b]                     dK[s, b] += de[b, s] q[b]
     * </pre>
     * With K and V the same tensor (dot and general scores) each row gets its dV, then its dK.
     */
    private static void dotAttentionBackward(Tensor query, Tensor keys, Tensor values, int steps, int[] lens,
                                             Tensor packed) {
        int batch = query.dim(0);
        int depth = query.dim(1);
        int valueDepth = values.dim(1);
        int contextSize = batch * valueDepth;
        float[] a = packed.data();
        float[] gradient = packed.gradData(); // dc [B, Dv] at 0, what reached a at contextSize
        // the gradient arrays made here, on one thread (an input's is made on first use); each
        // sentence's rows of dq, dK and dV are its own: its part writes them alone
        float[] dq = query.requiresGrad() ? query.gradData() : null;
        float[] dK = keys.requiresGrad() ? keys.gradData() : null;
        float[] dV = values.requiresGrad() ? values.gradData() : null;
        k().forEachPart(batch, MIN_SENTENCES_PER_PART, (from, to) -> attendRowsBackward(k(), query.data(),
                query.offset(), keys, dK, values, dV, steps, batch, lens, a, contextSize, gradient, contextSize,
                gradient, 0, dq, query.offset(), from, to));
    }

    /**
     * {@link #dotAttention}'s backward for sentences [from, to), as {@link #attendRows} lays them
     * out: what reached the weights at {@code daOff + b * S} of {@code reached}, dc at
     * {@code dcOff + b * Dv} of {@code dc}; dq[b] added at {@code dqOff + b * D} of {@code dq}, dK
     * and dV into the memory's gradient arrays (each null when not wanted), each at the memory's
     * offset. The kernels run on the calling thread.
     */
    static void attendRowsBackward(Kernels k, float[] query, int qOff, Tensor keys, float[] dK, Tensor values,
                                   float[] dV, int steps, int batch, int[] lens, float[] a, int aOff, float[] reached,
                                   int daOff, float[] dc, int dcOff, float[] dq, int dqOff, int from, int to) {
        int depth = keys.dim(1);
        int valueDepth = values.dim(1);
        boolean scoresWanted = dq != null || dK != null;
        int rows = to - from;
        float[] da = new float[rows * steps]; // [b - from, s]
        if (scoresWanted) {
            // da[b, s] = what reached a, + dc[b] . V[s, b]
            System.arraycopy(reached, daOff + from * steps, da, 0, rows * steps);
            float[] product = new float[rows * valueDepth];
            float[] dots = new float[rows];
            for (int s = 0; s < steps; s++) {
                k.mul(values.data(), values.offset() + (s * batch + from) * valueDepth, dc, dcOff + from * valueDepth,
                        product, 0, rows * valueDepth);
                k.sumColumns(product, 0, dots, 0, rows, valueDepth, false);
                for (int b = from; b < to; b++) {
                    da[(b - from) * steps + s] += dots[b - from];
                }
            }
        }
        if (dV != null) {
            // dV[s, b] += a[b, s] dc[b]
            for (int s = 0; s < steps; s++) {
                for (int b = from; b < to; b++) {
                    float weight = a[aOff + b * steps + s];
                    if (weight != 0) {
                        k.axpy(weight, dc, dcOff + b * valueDepth, dV, values.offset() + (s * batch + b) * valueDepth,
                                valueDepth);
                    }
                }
            }
        }
        if (!scoresWanted) {
            return;
        }
        float[] de = new float[steps];
        float[] weightedDa = new float[steps];
        for (int b = from; b < to; b++) {
            int length = lens[b];
            int row = (b - from) * steps;
            // de = a * da - (sum a * da) a, over the real positions, onto zeros
            Arrays.fill(de, 0f);
            k.mul(a, aOff + b * steps, da, row, weightedDa, 0, length);
            float dot = k.sum(weightedDa, 0, length);
            k.axpy(1f, weightedDa, 0, de, 0, length);
            k.axpy(-dot, a, aOff + b * steps, de, 0, length);
            for (int s = 0; s < length; s++) {
                int memoryRow = (s * batch + b) * depth;
                if (dq != null) {
                    // dq[b] += de[b, s] K[s, b]
                    k.axpy(de[s], keys.data(), keys.offset() + memoryRow, dq, dqOff + b * depth, depth);
                }
                if (dK != null) {
                    // dK[s, b] += de[b, s] q[b]
                    k.axpy(de[s], query, qOff + b * depth, dK, keys.offset() + memoryRow, depth);
                }
            }
        }
    }

    /** q [B, A], K [S*B, A] time-major, v [A], lengths [B] (null: all S) -> e [B, S]. */
    public static Tensor additiveScores(Tensor query, Tensor keys, Tensor v, int steps, int[] lengths) {
        int batch = query.dim(0);
        int depth = query.dim(1);
        int[] lens = checkMemory("additiveScores", keys, steps, batch, depth, lengths);
        if (v.size() != depth) {
            throw new IllegalArgumentException("additiveScores: v is " + v.describe() + ", expected " + depth
                    + " values");
        }
        int rows = steps * batch;
        // u[s*B + b] = tanh(q[b] + K[s*B + b]), for every position (padded ones are not read back)
        float[] u = new float[rows * depth];
        for (int s = 0; s < steps; s++) {
            for (int b = 0; b < batch; b++) {
                int row = (s * batch + b) * depth;
                k().add(query.data(), query.offset() + b * depth, keys.data(), keys.offset() + row, u, row, depth);
            }
        }
        k().tanh(u, 0, u, 0, rows * depth);
        // flat[s*B + b] = u[s*B + b] . v: one [S*B, A] x [A, 1] product
        float[] flat = new float[rows];
        k().matmul(u, 0, v.data(), v.offset(), flat, 0, rows, depth, 1, false);
        Tensor scores = Tensor.zeros(batch, steps);
        float[] e = scores.data();
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < steps; s++) {
                e[b * steps + s] = s < lens[b] ? flat[s * batch + b] : Float.NEGATIVE_INFINITY;
            }
        }
        if (Tape.recording(query, keys, v)) {
            Tape.record("additiveScores", scores, () -> {
                float[] de = scores.gradData();
                float[] deFlat = new float[rows]; // time-major, zero at padded positions
                for (int b = 0; b < batch; b++) {
                    for (int s = 0; s < lens[b]; s++) {
                        deFlat[s * batch + b] = de[b * steps + s];
                    }
                }
                if (v.requiresGrad()) {
                    // dv (A x 1) += u^T (A x S*B) . deFlat (S*B x 1)
                    k().matmulTransA(u, 0, deFlat, 0, v.gradData(), v.offset(), depth, rows, 1, true);
                }
                // dpre = (deFlat v^T) * (1 - u^2), [S*B, A]
                float[] dpre = new float[rows * depth];
                k().matmul(deFlat, 0, v.data(), v.offset(), dpre, 0, rows, 1, depth, false);
                float[] uu = new float[rows * depth];
                k().mul(u, 0, u, 0, uu, 0, rows * depth);
                k().mul(dpre, 0, uu, 0, uu, 0, rows * depth);
                k().sub(dpre, 0, uu, 0, dpre, 0, rows * depth);
                if (keys.requiresGrad()) {
                    k().axpy(1f, dpre, 0, keys.gradData(), keys.offset(), rows * depth);
                }
                if (query.requiresGrad()) {
                    for (int s = 0; s < steps; s++) {
                        for (int b = 0; b < batch; b++) {
                            k().axpy(1f, dpre, (s * batch + b) * depth, query.gradData(), query.offset() + b * depth,
                                    depth);
                        }
                    }
                }
            }, query, keys, v);
        }
        return scores;
    }

    /** e [B, S], lengths [B] (null: all S) -> a [B, S], a softmax over each row's first len[b] columns. */
    public static Tensor maskedSoftmax(Tensor scores, int[] lengths) {
        int batch = scores.dim(0);
        int steps = scores.dim(1);
        if (lengths != null && lengths.length != batch) {
            throw new IllegalArgumentException("maskedSoftmax: " + lengths.length + " lengths for " + scores.describe());
        }
        Tensor weights = Tensor.zeros(batch, steps);
        for (int b = 0; b < batch; b++) {
            int length = lengths == null ? steps : lengths[b];
            k().softmaxRows(scores.data(), scores.offset() + b * steps, weights.data(), b * steps, 1, length);
        }
        if (Tape.recording(scores)) {
            Tape.record("maskedSoftmax", weights, () -> {
                float[] a = weights.data();
                float[] da = weights.gradData();
                float[] product = new float[steps];
                for (int b = 0; b < batch; b++) {
                    int length = lengths == null ? steps : lengths[b];
                    int row = b * steps;
                    // de = a * da - (sum a * da) a, over the real positions
                    k().mul(a, row, da, row, product, 0, length);
                    float dot = k().sum(product, 0, length);
                    k().axpy(1f, product, 0, scores.gradData(), scores.offset() + row, length);
                    k().axpy(-dot, a, row, scores.gradData(), scores.offset() + row, length);
                }
            }, scores);
        }
        return weights;
    }

    /**
     * a [B, S] (rows summing to 1, zero past each length), V [S*B, D] time-major -> c [B, D]: one
     * axpy of D values per (sentence, position); the backward's da is, like the dot scores, the row
     * sums of V_s * dc for each position s.
     */
    public static Tensor weightedSum(Tensor weights, Tensor values, int steps) {
        int batch = weights.dim(0);
        if (weights.dim(1) != steps) {
            throw new IllegalArgumentException("weightedSum: weights " + weights.describe() + " for " + steps
                    + " source positions");
        }
        int depth = values.dim(1);
        checkMemory("weightedSum", values, steps, batch, depth, null);
        Tensor context = Tensor.zeros(batch, depth);
        float[] a = weights.data();
        // c[b] sums its positions in order s = 0, 1, ... whichever part computes it
        k().forEachPart(batch, MIN_SENTENCES_PER_PART, (from, to) -> {
            for (int b = from; b < to; b++) {
                for (int s = 0; s < steps; s++) {
                    float weight = a[weights.offset() + b * steps + s];
                    if (weight != 0) { // padded positions weigh exactly 0
                        k().axpy(weight, values.data(), values.offset() + (s * batch + b) * depth, context.data(),
                                b * depth, depth);
                    }
                }
            }
        });
        if (Tape.recording(weights, values)) {
            Tape.record("weightedSum", context, () -> {
                // the gradient arrays made here, on one thread (an input's is made on first use);
                // each sentence's row of da and rows of dV are its own: its part writes them alone
                float[] dc = context.gradData();
                float[] da = weights.requiresGrad() ? weights.gradData() : null;
                float[] dV = values.requiresGrad() ? values.gradData() : null;
                k().forEachPart(batch, MIN_SENTENCES_PER_PART, (from, to) -> {
                    int rows = to - from;
                    if (da != null) {
                        // da[b, s] += dc[b] . V[s, b]
                        float[] product = new float[rows * depth];
                        float[] dots = new float[rows];
                        for (int s = 0; s < steps; s++) {
                            k().mul(values.data(), values.offset() + (s * batch + from) * depth, dc, from * depth,
                                    product, 0, rows * depth);
                            k().sumColumns(product, 0, dots, 0, rows, depth, false);
                            for (int b = from; b < to; b++) {
                                da[weights.offset() + b * steps + s] += dots[b - from];
                            }
                        }
                    }
                    if (dV != null) {
                        // dV[s, b] += a[b, s] dc[b]
                        for (int s = 0; s < steps; s++) {
                            for (int b = from; b < to; b++) {
                                float weight = a[weights.offset() + b * steps + s];
                                if (weight != 0) {
                                    k().axpy(weight, dc, b * depth, dV, values.offset() + (s * batch + b) * depth,
                                            depth);
                                }
                            }
                        }
                    }
                });
            }, weights, values);
        }
        return context;
    }

    /** Checks memory [S*B, D] and the lengths; returns the lengths (all S when null). */
    static int[] checkMemory(String op, Tensor memory, int steps, int batch, int depth, int[] lengths) {
        if (memory.rank() != 2 || memory.dim(0) != steps * batch || memory.dim(1) != depth) {
            throw new IllegalArgumentException(op + ": memory is " + memory.describe() + ", expected [" + steps + " * "
                    + batch + ", " + depth + "] (time-major)");
        }
        if (lengths != null && lengths.length != batch) {
            throw new IllegalArgumentException(op + ": " + lengths.length + " lengths for a batch of " + batch);
        }
        int[] lens = new int[batch];
        for (int b = 0; b < batch; b++) {
            lens[b] = lengths == null ? steps : lengths[b];
            if (lens[b] < 1 || lens[b] > steps) {
                throw new IllegalArgumentException(op + ": sentence " + b + " has length " + lens[b]
                        + ", outside 1.." + steps);
            }
        }
        return lens;
    }
}
