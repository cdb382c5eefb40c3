package dev.seq2seq.nn.loss;

import dev.seq2seq.engine.Shapes;
import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.ParallelKernels;
import java.util.Arrays;

/**
 * Softmax followed by cross-entropy against integer targets, fused into one op.
 *
 * <pre>
 *   log p_i = log_softmax(logits_i)          (max subtracted first: no overflow)
 *   q_i     = (1 - e) * onehot(t_i) + e / V  (the target distribution; e = 0: the one-hot)
 *   loss    = sum_i w_i * (-sum_c q_i[c] log p_i[c]) / D
 *           = sum_i w_i * ((1 - e) * (-log p_i[t_i]) + e * mean_c(-log p_i[c])) / D
 *   d logits_i = (w_i / D) * (p_i - q_i) * d loss
 * </pre>
 *
 * w_i is the mask (1 for a real position, 0 for padding). The divisor D is the {@link Reduction}:
 * the count of real positions (the mean over what is real), or N, every position (what Keras's
 * default SUM_OVER_BATCH_SIZE does with a mask: padded positions add 0 but still count).
 * Fusing avoids materialising softmax's Jacobian: the gradient is just p minus the target.
 *
 * <p>e is label smoothing (Szegedy et al. 2016): the target keeps 1 - e of its weight and e is
 * spread evenly over all V classes, the target's own included. This is PyTorch's
 * {@code cross_entropy(label_smoothing=e)}, which the golden tests compare with. It keeps the model
 * from pushing its logits ever further apart to reach a probability of exactly 1.
 */
public final class SoftmaxCrossEntropy {
    /** About this many elements make a thread's share of the backward pass worth its hand-off. */
    private static final int ELEMENTS_WORTH_A_THREAD = 1 << 15;

    private SoftmaxCrossEntropy() {
    }

    /** How the summed loss is turned into a mean. */
    public enum Reduction {
        /** Divide by the number of real (mask 1) positions. */
        MEAN_OVER_REAL,
        /** Divide by all N positions, padded ones included (Keras's reduction). */
        MEAN_OVER_ALL
    }

    /**
     * logits [N, V], targets [N] in [0, V), mask [N] of 0/1 weights or null (all real) -> loss [1].
     */
    public static Tensor loss(Tensor logits, int[] targets, float[] mask, Reduction reduction) {
        return loss(logits, targets, mask, reduction, 0f);
    }

    /**
     * As {@link #loss(Tensor, int[], float[], Reduction)} against targets smoothed by {@code smoothing}
     * (e in [0, 1); 0 gives exactly the plain cross-entropy, bit for bit).
     */
    public static Tensor loss(Tensor logits, int[] targets, float[] mask, Reduction reduction, float smoothing) {
        Shapes.checkMatrix("softmaxCrossEntropy", logits);
        int rows = logits.dim(0);
        int classes = logits.dim(1);
        checkArguments("softmaxCrossEntropy", logits, targets, mask, smoothing);
        // log p first; then, for backward, p = exp(log p) in place: one [N, V] array where a log p
        // array and a p array made two (for a head over 8,000 words, 18 MB each at N = 576)
        float[] probabilities = new float[rows * classes];
        ParallelKernels k = Backend.kernels();
        k.logSoftmaxRows(logits.data(), logits.offset(), probabilities, 0, rows, classes);
        float divisor = divisor(reduction, rows, mask);
        double total = summedLoss("softmaxCrossEntropy", probabilities, rows, classes, targets, mask, null, smoothing,
                logits.describe());
        Tensor loss = Tensor.scalar((float) (total / divisor));
        if (Tape.recording(logits)) {
            int[] targetCopy = targets.clone();
            float[] maskCopy = mask == null ? null : mask.clone();
            k.exp(probabilities, 0, probabilities, 0, probabilities.length);
            Tape.record("softmaxCrossEntropy", loss, () -> logitGradients(probabilities, logits.gradData(),
                    logits.offset(), rows, classes, targetCopy, maskCopy, divisor, loss.gradData()[0], smoothing),
                    logits);
        }
        return loss;
    }

    /**
     * The cross-entropy of a dense output layer, x [N, in] . kernel [in, V] + bias [V] -> loss [1]:
     * {@code loss(MatrixOps.affine(x, kernel, bias), ...)} in one op, with the same numbers to the
     * bit. The logits are this op's own array, so it turns them into log p, then p, then the
     * logits' gradient, all in place: one [N, V] array where the two ops make three (the logits,
     * p, and the logits' gradient), so less to allocate, zero and collect, and one pass over it
     * fewer. A training step's output layer over 8,000 words is [576, 8004], 18 MB per array.
     */
    public static Tensor ofAffine(Tensor x, Tensor kernel, Tensor bias, int[] targets, float[] mask,
                                  Reduction reduction, float smoothing) {
        Shapes.checkMatrix("affineSoftmaxCrossEntropy", x);
        Shapes.checkMatrix("affineSoftmaxCrossEntropy", kernel);
        int positions = x.dim(0);
        checkArguments("affineSoftmaxCrossEntropy", positions, x, targets, mask, smoothing);
        float divisor = divisor(reduction, positions, mask);
        // Only the weighted rows, when that pays: a padded position (weight 0) adds nothing to the
        // loss and gets a zero gradient, so its logits, its share of the products and of the
        // softmax can be dropped. The same bits: each row's numbers do not depend on the others,
        // and the weight gradients' sums lose only terms a . 0.
        int[] nonZero = weightedRows(mask);
        int[] weighted = nonZero != null && pickingPays(positions, nonZero.length, x.dim(1), kernel.dim(1))
                ? nonZero : null;
        Tensor input = weighted == null ? x : rowsOf(x, weighted);
        int[] inputTargets = weighted == null ? targets : pick(targets, weighted);
        float[] inputMask = weighted == null ? mask : pick(mask, weighted);
        Tensor logits = MatrixOps.affineValues("affineSoftmaxCrossEntropy", input, kernel, bias);
        int rows = logits.dim(0);
        int classes = logits.dim(1);
        float[] values = logits.data(); // the logits, then log p, then p, then d logits
        ParallelKernels k = Backend.kernels();
        k.logSoftmaxRows(values, 0, values, 0, rows, classes);
        double total = summedLoss("affineSoftmaxCrossEntropy", values, rows, classes, inputTargets, inputMask,
                weighted, smoothing, "tensor " + Shapes.str(new int[] {positions, classes})); // the logits of all rows
        Tensor loss = Tensor.scalar((float) (total / divisor));
        if (Tape.recording(x, kernel, bias)) {
            int[] targetCopy = inputTargets.clone();
            float[] maskCopy = inputMask == null ? null : inputMask.clone();
            k.exp(values, 0, values, 0, values.length);
            Tape.record("affineSoftmaxCrossEntropy", loss, () -> {
                logitGradients(values, values, 0, rows, classes, targetCopy, maskCopy, divisor, loss.gradData()[0],
                        smoothing);
                // dx of the picked rows is summed onto what x's gradient holds there, as over all rows
                boolean picked = input != x && x.requiresGrad();
                if (picked) {
                    copyRows(x.gradData(), x.offset(), input.gradData(), weighted, x.dim(1), true);
                }
                MatrixOps.affineBackward(input, kernel, bias, values);
                if (picked) {
                    copyRows(x.gradData(), x.offset(), input.gradData(), weighted, x.dim(1), false);
                }
            }, x, kernel, bias);
        }
        return loss;
    }

    /**
     * The rows of non-zero weight, in order; null when every row weighs (no mask, or no zero in it)
     * or none does (then all rows are computed, as they were: a batch of padding only is no case to
     * make faster).
     */
    static int[] weightedRows(float[] mask) {
        if (mask == null) {
            return null;
        }
        int count = 0;
        for (float weight : mask) {
            count += weight == 0f ? 0 : 1;
        }
        if (count == mask.length || count == 0) {
            return null;
        }
        int[] rows = new int[count];
        int next = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0f) {
                rows[next++] = i;
            }
        }
        return rows;
    }

    /**
     * Whether computing only {@code picked} of {@code positions} rows saves more than it costs: the
     * products and the softmax of the rows left out, (N - R) x classes per input, against copying
     * the R rows of x and of its gradient, about R x inputs three times. Measured, alternating
     * step by step: the seed's head (95 classes, 7% of its rows padded) was 2.5-5.6% slower with
     * the copies, a word model's (8,004 classes) 2.3-4.5% faster; the factor 8 puts the line at
     * about 400 classes for 7% padding.
     */
    static boolean pickingPays(int positions, int picked, int inputs, int classes) {
        return (long) (positions - picked) * classes * 8 > (long) picked * inputs;
    }

    /** The listed rows of x [N, in] as a new [rows, in] tensor, wanting a gradient when x does. */
    private static Tensor rowsOf(Tensor x, int[] rows) {
        int width = x.dim(1);
        Tensor tensor = Tensor.zeros(rows.length, width); // filled in place (Tensor.of would copy it)
        float[] picked = tensor.data();
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x.data(), x.offset() + rows[i] * width, picked, i * width, width);
        }
        return x.requiresGrad() ? tensor.requireGrad() : tensor;
    }

    /** The listed rows' targets. */
    private static int[] pick(int[] values, int[] rows) {
        int[] picked = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            picked[i] = values[rows[i]];
        }
        return picked;
    }

    /** The listed rows' weights. */
    private static float[] pick(float[] values, int[] rows) {
        float[] picked = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            picked[i] = values[rows[i]];
        }
        return picked;
    }

    /**
     * Between a [N, width] array (from {@code offset}) and the [rows, width] array of its listed
     * rows: into the picked array when {@code intoPicked}, back into the whole one otherwise.
     */
    private static void copyRows(float[] whole, int offset, float[] picked, int[] rows, int width,
                                 boolean intoPicked) {
        for (int i = 0; i < rows.length; i++) {
            int at = offset + rows[i] * width;
            if (intoPicked) {
                System.arraycopy(whole, at, picked, i * width, width);
            } else {
                System.arraycopy(picked, i * width, whole, at, width);
            }
        }
    }

    private static void checkArguments(String op, Tensor logits, int[] targets, float[] mask, float smoothing) {
        checkArguments(op, logits.dim(0), logits, targets, mask, smoothing);
    }

    /** {@code rows} targets and mask weights (or no mask) for {@code scores}, and a smoothing in [0, 1). */
    private static void checkArguments(String op, int rows, Tensor scores, int[] targets, float[] mask,
                                       float smoothing) {
        if (!(smoothing >= 0f && smoothing < 1f)) {
            throw new IllegalArgumentException(op + ": label smoothing must be in [0, 1), got " + smoothing);
        }
        if (targets.length != rows) {
            throw new IllegalArgumentException(op + ": " + targets.length + " targets for " + scores.describe());
        }
        if (mask != null && mask.length != rows) {
            throw new IllegalArgumentException(op + ": mask of " + mask.length + " for " + scores.describe());
        }
    }

    /**
     * sum_i w_i * ((1 - e) * (-log p_i[t_i]) + e * mean_c(-log p_i[c])) over log p [rows, classes];
     * the rows in order, so the sum is the same whatever the threads. {@code positions}: where
     * each row was in the batch, for the messages (null: row i was position i).
     */
    private static double summedLoss(String op, float[] logP, int rows, int classes, int[] targets, float[] mask,
                                     int[] positions, float smoothing, String scores) {
        ParallelKernels k = Backend.kernels();
        // with smoothing, each row's sum of log p (a pass over [N, V]), the rows shared between the threads
        float[] logPSums = smoothing == 0f ? null : new float[rows];
        if (logPSums != null) {
            k.forEachPart(rows, 1 + ELEMENTS_WORTH_A_THREAD / classes, (from, to) -> {
                for (int i = from; i < to; i++) {
                    logPSums[i] = k.sum(logP, i * classes, classes);
                }
            });
        }
        double total = 0;
        for (int i = 0; i < rows; i++) {
            float weight = mask == null ? 1f : mask[i];
            if (weight == 0f) {
                continue;
            }
            if (targets[i] < 0 || targets[i] >= classes) {
                throw new IndexOutOfBoundsException(op + ": target " + targets[i] + " at position "
                        + (positions == null ? i : positions[i])
                        + " is outside the " + classes + " classes of " + scores);
            }
            float targetLogP = logP[i * classes + targets[i]];
            if (smoothing == 0f) {
                total -= weight * targetLogP;
            } else {
                double meanLogP = (double) logPSums[i] / classes;
                total -= weight * ((1 - smoothing) * (double) targetLogP + smoothing * meanLogP);
            }
        }
        return total;
    }

    /**
     * d logits_i = (w_i / D) * (p_i - q_i) * upstream for every row of p [rows, classes]. Added to
     * {@code dLogits} from {@code dOffset} on; or, when {@code dLogits} is p itself (an op that owns
     * its logits), written over p in place: scale * p rounded once is what axpy gives onto the
     * zeros of a fresh gradient, and a padded row becomes zeros. Rows are independent: the threads
     * take a share of them each (a row of 8,000 classes is too short to be worth splitting itself).
     */
    private static void logitGradients(float[] p, float[] dLogits, int dOffset, int rows, int classes, int[] targets,
                                       float[] mask, float divisor, float upstream, float smoothing) {
        boolean inPlace = p == dLogits;
        ParallelKernels k = Backend.kernels();
        k.forEachPart(rows, 1 + ELEMENTS_WORTH_A_THREAD / classes, (from, to) -> {
            for (int i = from; i < to; i++) {
                float weight = mask == null ? 1f : mask[i];
                int row = dOffset + i * classes;
                if (weight == 0f) {
                    if (inPlace) {
                        Arrays.fill(dLogits, row, row + classes, 0f); // a padded position: no gradient
                    }
                    continue;
                }
                float scale = weight / divisor * upstream;
                if (inPlace) {
                    k.scale(scale, p, i * classes, dLogits, row, classes);    // scale p
                } else {
                    k.axpy(scale, p, i * classes, dLogits, row, classes);     // + scale p
                }
                subtractTarget(dLogits, row, classes, targets[i], scale, smoothing); // - scale q
            }
        });
    }

    /** d logits row -= scale * q: the one-hot target's share, and with smoothing e / V on every class. */
    private static void subtractTarget(float[] dLogits, int row, int classes, int target, float scale,
                                       float smoothing) {
        if (smoothing == 0f) {
            dLogits[row + target] -= scale;
            return;
        }
        float spread = scale * smoothing / classes;
        for (int c = 0; c < classes; c++) {
            dLogits[row + c] -= spread;
        }
        dLogits[row + target] -= scale * (1 - smoothing);
    }

    /** The divisor D of the reduction over {@code rows} positions with this mask (null: every position real). */
    public static float divisor(Reduction reduction, int rows, float[] mask) {
        if (reduction == Reduction.MEAN_OVER_ALL) {
            return rows;
        }
        double real = mask == null ? rows : 0;
        for (int i = 0; mask != null && i < rows; i++) {
            real += mask[i];
        }
        return (float) Math.max(real, 1);
    }

    /** How many real positions have their target as the arg-max of the logits. */
    public static int correct(Tensor logits, int[] targets, float[] mask) {
        int rows = logits.dim(0);
        int classes = logits.dim(1);
        int hits = 0;
        for (int i = 0; i < rows; i++) {
            if (mask != null && mask[i] == 0f) {
                continue;
            }
            int best = logits.argmaxInRow(i, 0, classes);
            if (best == targets[i]) {
                hits++;
            }
        }
        return hits;
    }
}
