package dev.seq2seq.engine.kernels;

import java.util.Arrays;

/**
 * The reference kernels: plain loops that say what each operation means. They are the
 * documentation of the {@link Kernels} contract, the fallback when the Vector API is not
 * available, and what the vector kernels are tested against.
 */
public final class ScalarKernels implements Kernels {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void gemm(float[] a, int aOff, int aRowStride, int aColStride,
                     float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc,
                     int m, int k, int n, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * ldc;
            if (!accumulate) {
                Arrays.fill(c, cRow, cRow + n, 0f);
            }
            // i-p-j order: the inner loop walks a row of B and a row of C, both contiguous.
            for (int p = 0; p < k; p++) {
                float aip = a[aOff + i * aRowStride + p * aColStride];
                int bRow = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    c[cRow + j] += aip * b[bRow + j];
                }
            }
        }
    }

    /** gemm's loops (i-p-j) with p running over the listed rows. */
    @Override
    public void matmulTransARows(float[] a, int lda, int[] rows, int count, float[] b, int bOff, int ldb,
                                 float[] c, int cOff, int ldc, int m, int n) {
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * ldc;
            for (int q = 0; q < count; q++) {
                float aip = a[rows[q] * lda + i];
                int bRow = bOff + rows[q] * ldb;
                for (int j = 0; j < n; j++) {
                    c[cRow + j] += aip * b[bRow + j];
                }
            }
        }
    }

    /** One strip as wide as B: the packed copy is B row-major, which is all the reference needs. */
    @Override
    public int packedStripWidth(int n) {
        return Math.max(1, n);
    }

    /** The product of {@link #gemm}, element (p, j) of B found through the layout of any strip width. */
    @Override
    public void matmulPacked(float[] a, int aOff, int lda, PackedMatrix b, float[] c, int cOff, int ldc, int m,
                             boolean accumulate) {
        int k = b.rows();
        int n = b.columns();
        float[] packed = b.data();
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * ldc;
            if (!accumulate) {
                Arrays.fill(c, cRow, cRow + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float aip = a[aOff + i * lda + p];
                for (int j = 0; j < n; j++) {
                    c[cRow + j] += aip * packed[b.index(p, j)];
                }
            }
        }
    }

    @Override
    public void gemmTransB(float[] a, int aOff, int lda,
                           float[] b, int bOff, int ldb,
                           float[] c, int cOff, int ldc,
                           int m, int k, int n, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float dot = 0f;
                for (int p = 0; p < k; p++) {
                    dot += a[aOff + i * lda + p] * b[bOff + j * ldb + p];
                }
                int at = cOff + i * ldc + j;
                c[at] = accumulate ? c[at] + dot : dot;
            }
        }
    }

    @Override
    public void add(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xOff + i] + y[yOff + i];
        }
    }

    @Override
    public void sub(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xOff + i] - y[yOff + i];
        }
    }

    @Override
    public void mul(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xOff + i] * y[yOff + i];
        }
    }

    @Override
    public void mulAdd(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] += x[xOff + i] * y[yOff + i];
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(float alpha, float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = alpha * x[xOff + i];
        }
    }

    @Override
    public void rmspropUpdate(float[] w, int wOff, float[] gradient, int gOff, float[] v, int vOff, int n,
                              float gradientScale, float learningRate, float rho, float epsilon) {
        for (int i = 0; i < n; i++) {
            float g = gradient[gOff + i] * gradientScale;
            v[vOff + i] = rho * v[vOff + i] + (1f - rho) * g * g;
            w[wOff + i] -= learningRate * g / ((float) Math.sqrt(v[vOff + i]) + epsilon);
        }
    }

    /** One band of one row and one group as wide as B: B itself, row-major. */
    @Override
    public GemvMatrix packForGemv(float[] b, int bOff, int ldb, int k, int n) {
        return GemvMatrix.of(b, bOff, ldb, k, n, 1, Math.max(1, n));
    }

    /** {@link #gemm} itself: the layout {@link #packForGemv} makes is B, row-major. */
    @Override
    public void matmulGemv(float[] a, int aOff, int lda, int m, GemvMatrix b, float[] c, int cOff, int ldc,
                           boolean accumulate) {
        if (b.bandRows() != 1 || b.paddedColumns() != b.columns()) {
            throw new IllegalArgumentException("a matrix laid out in bands of " + b.bandRows() + " rows and groups of "
                    + b.lanes() + " columns, where the scalar kernels read B row-major: lay it out with the same"
                    + " backend's packForGemv");
        }
        gemm(a, aOff, lda, 1, b.data(), 0, b.columns(), c, cOff, ldc, m, b.rows(), b.columns(), accumulate);
    }

    @Override
    public void adamUpdate(float[] w, int wOff, float[] gradient, int gOff, float[] m, float[] v, int stateOff, int n,
                           float gradientScale, float stepSize, float beta1, float beta2, float correction2Sqrt,
                           float epsilon) {
        for (int i = 0; i < n; i++) {
            float g = gradient[gOff + i] * gradientScale;
            m[stateOff + i] = beta1 * m[stateOff + i] + (1f - beta1) * g;
            v[stateOff + i] = beta2 * v[stateOff + i] + (1f - beta2) * g * g;
            w[wOff + i] -= stepSize * m[stateOff + i] / ((float) Math.sqrt(v[stateOff + i]) / correction2Sqrt + epsilon);
        }
    }

    @Override
    public void rowTimesBf16Matrix(float[] a, int aOff, int[] b, int bOff, float[] c, int cOff, int k, int n,
                                   boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(c, cOff, cOff + n, 0f);
        }
        int half = Bf16.pairColumns(n);
        for (int p = 0; p < k; p++) {
            float ap = a[aOff + p];
            int row = bOff + p * half;
            for (int j = 0; j < half; j++) {
                // column j from the low half, column half + j (if there is one) from the high half
                c[cOff + j] = Math.fma(ap, Bf16.low(b[row + j]), c[cOff + j]);
                if (half + j < n) {
                    c[cOff + half + j] = Math.fma(ap, Bf16.high(b[row + j]), c[cOff + half + j]);
                }
            }
        }
    }

    @Override
    public void movingAverage(float[] average, int avgOff, float[] x, int xOff, int n, float rate) {
        for (int i = 0; i < n; i++) {
            average[avgOff + i] = average[avgOff + i] + rate * (x[xOff + i] - average[avgOff + i]);
        }
    }

    @Override
    public void lstmBackwardRow(int units, float[] act, int actOff, float[] cPrev, int cPrevOff, float[] tanhC,
                                int tanhCOff, float[] dh, int dhOff, float[] dc, int dcOff, float[] dz, int dzOff,
                                float[] dcPrev, int dcPrevOff) {
        lstmBackwardUnits(0, units, act, actOff, cPrev, cPrevOff, tanhC, tanhCOff, dh, dhOff, dc, dcOff, dz, dzOff,
                dcPrev, dcPrevOff);
    }

    /** {@link #lstmBackwardRow} for the units from {@code first} on: also the vector kernel's tail. */
    public static void lstmBackwardUnits(int first, int units, float[] act, int actOff, float[] cPrev, int cPrevOff,
                                         float[] tanhC, int tanhCOff, float[] dh, int dhOff, float[] dc, int dcOff,
                                         float[] dz, int dzOff, float[] dcPrev, int dcPrevOff) {
        for (int j = first; j < units; j++) {
            float i = act[actOff + j];
            float f = act[actOff + units + j];
            float g = act[actOff + 2 * units + j];
            float o = act[actOff + 3 * units + j];
            float tc = tanhC[tanhCOff + j];
            float dhj = dh[dhOff + j];
            float dcj = dc[dcOff + j] + dhj * o * (1f - tc * tc);
            dz[dzOff + j] = dcj * g * i * (1f - i);
            dz[dzOff + units + j] = dcj * cPrev[cPrevOff + j] * f * (1f - f);
            dz[dzOff + 2 * units + j] = dcj * i * (1f - g * g);
            dz[dzOff + 3 * units + j] = dhj * tc * o * (1f - o);
            dcPrev[dcPrevOff + j] = dcj * f;
        }
    }

    @Override
    public void gruBackwardRow(int units, float[] act, int actOff, float[] hz, int hzOff, float[] hPrev, int hPrevOff,
                               float[] dh, int dhOff, float[] dxz, int dxzOff, float[] dhz, int dhzOff,
                               float[] dhPrev, int dhPrevOff) {
        gruBackwardUnits(0, units, act, actOff, hz, hzOff, hPrev, hPrevOff, dh, dhOff, dxz, dxzOff, dhz, dhzOff,
                dhPrev, dhPrevOff);
    }

    /** {@link #gruBackwardRow} for the units from {@code first} on: also the vector kernel's tail. */
    public static void gruBackwardUnits(int first, int units, float[] act, int actOff, float[] hz, int hzOff,
                                        float[] hPrev, int hPrevOff, float[] dh, int dhOff, float[] dxz, int dxzOff,
                                        float[] dhz, int dhzOff, float[] dhPrev, int dhPrevOff) {
        for (int j = first; j < units; j++) {
            float z = act[actOff + j];
            float r = act[actOff + units + j];
            float n = act[actOff + 2 * units + j];
            float dhj = dh[dhOff + j];
            float daz = dhj * (hPrev[hPrevOff + j] - n) * z * (1f - z);
            float dan = dhj * (1f - z) * (1f - n * n);
            float dar = dan * hz[hzOff + 2 * units + j] * r * (1f - r);
            dxz[dxzOff + j] = daz;
            dxz[dxzOff + units + j] = dar;
            dxz[dxzOff + 2 * units + j] = dan;
            dhz[dhzOff + j] = daz;
            dhz[dhzOff + units + j] = dar;
            dhz[dhzOff + 2 * units + j] = dan * r;
            dhPrev[dhPrevOff + j] = dhj * z;
        }
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) (1.0 / (1.0 + Math.exp(-x[xOff + i])));
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) Math.tanh(x[xOff + i]);
        }
    }

    @Override
    public void exp(float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) Math.exp(x[xOff + i]);
        }
    }

    @Override
    public float sum(float[] x, int xOff, int n) {
        float total = 0f;
        for (int i = 0; i < n; i++) {
            total += x[xOff + i];
        }
        return total;
    }

    @Override
    public void softmaxRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int in = xOff + r * cols;
            int to = outOff + r * cols;
            // Subtracting the row maximum keeps exp() from overflowing; softmax is unchanged by it.
            float max = rowMax(x, in, cols);
            float total = 0f;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(x[in + j] - max);
                out[to + j] = e;
                total += e;
            }
            float inverse = 1f / total;
            for (int j = 0; j < cols; j++) {
                out[to + j] *= inverse;
            }
        }
    }

    @Override
    public void logSoftmaxRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int in = xOff + r * cols;
            int to = outOff + r * cols;
            float max = rowMax(x, in, cols);
            float total = 0f;
            for (int j = 0; j < cols; j++) {
                total += (float) Math.exp(x[in + j] - max);
            }
            float logNormaliser = max + (float) Math.log(total);
            for (int j = 0; j < cols; j++) {
                out[to + j] = x[in + j] - logNormaliser;
            }
        }
    }

    @Override
    public double logSumExp(float[] x, int xOff, int n) {
        float max = rowMax(x, xOff, n);
        float total = 0f;
        for (int j = 0; j < n; j++) {
            total += (float) Math.exp(x[xOff + j] - max);
        }
        return max + Math.log(total);
    }

    private static float rowMax(float[] x, int from, int cols) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            max = Math.max(max, x[from + j]);
        }
        return max;
    }

    @Override
    public void sumRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols, boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(out, outOff, outOff + cols, 0f);
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                out[outOff + j] += x[xOff + r * cols + j];
            }
        }
    }

    @Override
    public void scatterAddRows(float[] src, int srcOff, int cols, int[] ids, int idsOff, int count,
                               float[] table, int tableOff) {
        for (int r = 0; r < count; r++) {
            int row = tableOff + ids[idsOff + r] * cols;
            for (int j = 0; j < cols; j++) {
                table[row + j] += src[srcOff + r * cols + j];
            }
        }
    }
}
