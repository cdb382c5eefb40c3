package dev.seq2seq.engine.kernels.vector;

import static dev.seq2seq.engine.kernels.vector.VectorWidth.LANES;
import static dev.seq2seq.engine.kernels.vector.VectorWidth.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Elementwise and row-wise kernels: a vector loop over {@code loopBound(n)} elements, then a
 * scalar tail for the last {@code n % LANES}. The transcendentals are {@link Transcendentals}'s,
 * in the lanes and in the tail alike, and sums are taken in 16 partial sums whatever the width
 * ({@link LaneSums}; not with reduceLanes, whose order differs between compiled and not yet
 * compiled code): every result is the same run after run, and on any vector width.
 */
final class VectorMath {
    private VectorMath() {
    }

    static void add(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xOff + i).add(FloatVector.fromArray(SPECIES, y, yOff + i))
                    .intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = x[xOff + i] + y[yOff + i];
        }
    }

    static void sub(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xOff + i).sub(FloatVector.fromArray(SPECIES, y, yOff + i))
                    .intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = x[xOff + i] - y[yOff + i];
        }
    }

    static void mul(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xOff + i).mul(FloatVector.fromArray(SPECIES, y, yOff + i))
                    .intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = x[xOff + i] * y[yOff + i];
        }
    }

    static void mulAdd(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xOff + i)
                    .fma(FloatVector.fromArray(SPECIES, y, yOff + i), FloatVector.fromArray(SPECIES, out, outOff + i))
                    .intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = Math.fma(x[xOff + i], y[yOff + i], out[outOff + i]);
        }
    }

    /**
     * RMSprop's update (see Kernels#rmspropUpdate): the same float operations in the same order as
     * the scalar loop, none fused (a fused multiply-add would round once where it rounds twice), and
     * sqrt and division correctly rounded in the lanes as in Java: the same bits, 16 at a time.
     */
    static void rmspropUpdate(float[] w, int wOff, float[] gradient, int gOff, float[] v, int vOff, int n,
                              float gradientScale, float learningRate, float rho, float epsilon) {
        FloatVector scales = FloatVector.broadcast(SPECIES, gradientScale);
        FloatVector rhos = FloatVector.broadcast(SPECIES, rho);
        FloatVector complements = FloatVector.broadcast(SPECIES, 1f - rho);
        FloatVector rates = FloatVector.broadcast(SPECIES, learningRate);
        FloatVector epsilons = FloatVector.broadcast(SPECIES, epsilon);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector g = FloatVector.fromArray(SPECIES, gradient, gOff + i).mul(scales);
            FloatVector average = rhos.mul(FloatVector.fromArray(SPECIES, v, vOff + i)).add(complements.mul(g).mul(g));
            average.intoArray(v, vOff + i);
            FloatVector step = rates.mul(g).div(average.sqrt().add(epsilons));
            FloatVector.fromArray(SPECIES, w, wOff + i).sub(step).intoArray(w, wOff + i);
        }
        for (; i < n; i++) {
            float g = gradient[gOff + i] * gradientScale;
            v[vOff + i] = rho * v[vOff + i] + (1f - rho) * g * g;
            w[wOff + i] -= learningRate * g / ((float) Math.sqrt(v[vOff + i]) + epsilon);
        }
    }

    /**
     * Adam's update (see Kernels#adamUpdate), as {@link #rmspropUpdate}: the scalar loop's float
     * operations in its order, none fused, 16 lanes at a time.
     */
    static void adamUpdate(float[] w, int wOff, float[] gradient, int gOff, float[] m, float[] v, int stateOff, int n,
                           float gradientScale, float stepSize, float beta1, float beta2, float correction2Sqrt,
                           float epsilon) {
        FloatVector scales = FloatVector.broadcast(SPECIES, gradientScale);
        FloatVector beta1s = FloatVector.broadcast(SPECIES, beta1);
        FloatVector complements1 = FloatVector.broadcast(SPECIES, 1f - beta1);
        FloatVector beta2s = FloatVector.broadcast(SPECIES, beta2);
        FloatVector complements2 = FloatVector.broadcast(SPECIES, 1f - beta2);
        FloatVector steps = FloatVector.broadcast(SPECIES, stepSize);
        FloatVector corrections = FloatVector.broadcast(SPECIES, correction2Sqrt);
        FloatVector epsilons = FloatVector.broadcast(SPECIES, epsilon);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector g = FloatVector.fromArray(SPECIES, gradient, gOff + i).mul(scales);
            FloatVector mean = beta1s.mul(FloatVector.fromArray(SPECIES, m, stateOff + i)).add(complements1.mul(g));
            mean.intoArray(m, stateOff + i);
            FloatVector square = beta2s.mul(FloatVector.fromArray(SPECIES, v, stateOff + i))
                    .add(complements2.mul(g).mul(g));
            square.intoArray(v, stateOff + i);
            FloatVector step = steps.mul(mean).div(square.sqrt().div(corrections).add(epsilons));
            FloatVector.fromArray(SPECIES, w, wOff + i).sub(step).intoArray(w, wOff + i);
        }
        for (; i < n; i++) {
            float g = gradient[gOff + i] * gradientScale;
            m[stateOff + i] = beta1 * m[stateOff + i] + (1f - beta1) * g;
            v[stateOff + i] = beta2 * v[stateOff + i] + (1f - beta2) * g * g;
            w[wOff + i] -= stepSize * m[stateOff + i] / ((float) Math.sqrt(v[stateOff + i]) / correction2Sqrt + epsilon);
        }
    }

    /**
     * An exponential moving average's step (see Kernels#movingAverage): a subtraction, a product and
     * a sum, none fused, in the scalar loop's order, 16 lanes at a time.
     */
    static void movingAverage(float[] average, int avgOff, float[] x, int xOff, int n, float rate) {
        FloatVector rates = FloatVector.broadcast(SPECIES, rate);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector a = FloatVector.fromArray(SPECIES, average, avgOff + i);
            FloatVector difference = FloatVector.fromArray(SPECIES, x, xOff + i).sub(a);
            a.add(rates.mul(difference)).intoArray(average, avgOff + i);
        }
        for (; i < n; i++) {
            average[avgOff + i] = average[avgOff + i] + rate * (x[xOff + i] - average[avgOff + i]);
        }
    }

    static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector alphas = FloatVector.broadcast(SPECIES, alpha);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            alphas.fma(FloatVector.fromArray(SPECIES, x, xOff + i), FloatVector.fromArray(SPECIES, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
        }
    }

    static void scale(float alpha, float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xOff + i).mul(alpha).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = alpha * x[xOff + i];
        }
    }

    /** sigmoid(x) = 1 / (1 + exp(-x)). */
    static void sigmoid(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            Transcendentals.sigmoid(FloatVector.fromArray(SPECIES, x, xOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = Transcendentals.sigmoid(x[xOff + i]);
        }
    }

    static void tanh(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            Transcendentals.tanh(FloatVector.fromArray(SPECIES, x, xOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = Transcendentals.tanh(x[xOff + i]);
        }
    }

    static void exp(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            Transcendentals.exp(FloatVector.fromArray(SPECIES, x, xOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = Transcendentals.exp(x[xOff + i]);
        }
    }

    static float max(float[] x, int xOff, int n) {
        FloatVector lanes = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            lanes = lanes.max(FloatVector.fromArray(SPECIES, x, xOff + i));
        }
        float max = lanes.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = Math.max(max, x[xOff + i]);
        }
        return max;
    }

    /** Where {@link #logSumExp} puts the exps it sums, one array per thread. */
    private static final ThreadLocal<float[]> EXPS = ThreadLocal.withInitial(() -> new float[0]);

    /** max + log(sum exp(x - max)): the exps and their sum as {@link #logSoftmaxRows} makes them. */
    static double logSumExp(float[] x, int xOff, int n) {
        float max = max(x, xOff, n);
        float total = LaneSums.expShifted(x, xOff, max, VectorGemm.scratch(EXPS, n), 0, n);
        return max + Math.log(total);
    }

    static void softmaxRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int in = xOff + r * cols;
            int to = outOff + r * cols;
            float total = LaneSums.expShifted(x, in, max(x, in, cols), out, to, cols);
            scale(1f / total, out, to, out, to, cols);
        }
    }

    static void logSoftmaxRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols,
                               float[] scratch) {
        for (int r = 0; r < rows; r++) {
            int in = xOff + r * cols;
            int to = outOff + r * cols;
            float max = max(x, in, cols);
            float total = LaneSums.expShifted(x, in, max, scratch, 0, cols);
            float logNormaliser = max + (float) Math.log(total);
            int i = 0;
            for (int bound = SPECIES.loopBound(cols); i < bound; i += LANES) {
                FloatVector.fromArray(SPECIES, x, in + i).sub(logNormaliser).intoArray(out, to + i);
            }
            for (; i < cols; i++) {
                out[to + i] = x[in + i] - logNormaliser;
            }
        }
    }

    static void sumRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols, boolean accumulate) {
        if (!accumulate) {
            java.util.Arrays.fill(out, outOff, outOff + cols, 0f);
        }
        for (int r = 0; r < rows; r++) {
            add(out, outOff, x, xOff + r * cols, out, outOff, cols);
        }
    }

    static void scatterAddRows(float[] src, int srcOff, int cols, int[] ids, int idsOff, int count,
                               float[] table, int tableOff) {
        for (int r = 0; r < count; r++) {
            int row = tableOff + ids[idsOff + r] * cols;
            add(table, row, src, srcOff + r * cols, table, row, cols);
        }
    }
}
