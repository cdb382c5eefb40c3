package dev.seq2seq.engine.kernels;

/**
 * The arithmetic the engine is made of, on float arrays with offsets (the way C code would take
 * pointers). Written twice: {@link ScalarKernels} is the readable reference and the fallback;
 * {@code kernels.vector.VectorKernels} is the same contract with the JDK Vector API.
 * {@link ParallelKernels} wraps either and splits big calls across cores.
 *
 * <p>Conventions: matrices are row-major. {@code accumulate} means {@code C += ...} instead of
 * {@code C = ...} (backward passes accumulate, as in llm.c). Output ranges may alias input ranges
 * only where a method says so.
 */
public interface Kernels {

    /** A short name for logs: "scalar", "vector-512", ... */
    String name();

    // ---------------------------------------------------------------- matrix products

    /**
     * General product {@code C[m,n] (+)= A[m,k] . B[k,n]}, where element (i, p) of A is
     * {@code a[aOff + i*aRowStride + p*aColStride]}: strides (k, 1) give A itself, strides (1, m)
     * read a stored [k, m] matrix as its transpose. B and C are row-major with leading dimensions
     * {@code ldb} and {@code ldc}.
     */
    void gemm(float[] a, int aOff, int aRowStride, int aColStride,
              float[] b, int bOff, int ldb,
              float[] c, int cOff, int ldc,
              int m, int k, int n, boolean accumulate);

    /**
     * {@code C[m,n] (+)= A[m,k] . B[n,k]^T}: every output is a dot product of a row of A with a row
     * of B. A, B and C are row-major with leading dimensions lda, ldb, ldc.
     */
    void gemmTransB(float[] a, int aOff, int lda,
                    float[] b, int bOff, int ldb,
                    float[] c, int cOff, int ldc,
                    int m, int k, int n, boolean accumulate);

    /** {@code C[m,n] (+)= A[m,k] . B[k,n]}, all contiguous. */
    default void matmul(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                        int m, int k, int n, boolean accumulate) {
        gemm(a, aOff, k, 1, b, bOff, n, c, cOff, n, m, k, n, accumulate);
    }

    /** {@code C[m,n] (+)= A^T . B} where A is stored [k, m] and B is [k, n] (weight gradients). */
    default void matmulTransA(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                              int m, int k, int n, boolean accumulate) {
        gemm(a, aOff, 1, m, b, bOff, n, c, cOff, n, m, k, n, accumulate);
    }

    /**
     * {@code C[m,n] += sum over q < count of A[rows[q]]^T . B[rows[q]]}: {@link #matmulTransA} over
     * the listed rows of A and B only, in the order listed (a weight gradient over the real
     * positions of a padded batch). Row r of A (m values) is at {@code a[r * lda]}, of B (n values)
     * at {@code b[bOff + r * ldb]}; C is row-major with leading dimension ldc and always
     * accumulated. Every element gets the same operations as in {@link #gemm} over the listed rows
     * alone, so where the rows left out have B's row zero and A's finite, the result is gemm's over
     * all rows to the bit: a . 0 is a zero, and adding a zero changes no sum that is not -0 (C holds
     * -0 only if it was given one).
     */
    void matmulTransARows(float[] a, int lda, int[] rows, int count, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, int m, int n);

    /** {@code C[m,n] (+)= A . B^T} where A is [m, k] and B is stored [n, k] (input gradients). */
    default void matmulTransB(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                              int m, int k, int n, boolean accumulate) {
        gemmTransB(a, aOff, k, b, bOff, k, c, cOff, n, m, k, n, accumulate);
    }

    /**
     * The width of the strips this backend's {@link #matmulPacked} reads, for a B of {@code n}
     * columns (one tile's columns; the reference reads any width and takes one strip of n).
     */
    int packedStripWidth(int n);

    /**
     * B [k, n] (read at {@code b[bOff + p * ldb + j]}) copied into the {@link PackedMatrix} layout
     * this backend's {@link #matmulPacked} reads: worth it for a B multiplied many times over.
     */
    default PackedMatrix pack(float[] b, int bOff, int ldb, int k, int n) {
        return pack(b, bOff, ldb, k, n, null);
    }

    /**
     * As {@link #pack(float[], int, int, int, int)} into {@code storage}: an array of at least
     * {@link PackedMatrix#size} floats holding anything (one given back by an earlier packing), or
     * null for a new one.
     */
    default PackedMatrix pack(float[] b, int bOff, int ldb, int k, int n, float[] storage) {
        PackedMatrix packed = PackedMatrix.over(storage, k, n, packedStripWidth(n));
        packed.packStrips(b, bOff, ldb, 0, packed.strips());
        return packed;
    }

    /**
     * As {@link #pack} for B = S^T [k, n], where S [n, k] is what is stored (read at
     * {@code s[sOff + j * lds + p]}): the same packed matrix as packing a transposed copy.
     */
    default PackedMatrix packTransposed(float[] s, int sOff, int lds, int k, int n) {
        return packTransposed(s, sOff, lds, k, n, null);
    }

    /** As {@link #packTransposed(float[], int, int, int, int)} into {@code storage}, as {@link #pack} takes it. */
    default PackedMatrix packTransposed(float[] s, int sOff, int lds, int k, int n, float[] storage) {
        PackedMatrix packed = PackedMatrix.over(storage, k, n, packedStripWidth(n));
        packStripsTransposed(packed, s, sOff, lds, 0, packed.strips());
        return packed;
    }

    /**
     * Strips [fromStrip, toStrip) of {@code packed}, B = S^T: the elements
     * {@link PackedMatrix#packStripsTransposed} puts there, moved the backend's fastest way (a
     * copy either way). Threads may fill different strips at once.
     */
    default void packStripsTransposed(PackedMatrix packed, float[] s, int sOff, int lds, int fromStrip,
                                      int toStrip) {
        packed.packStripsTransposed(s, sOff, lds, fromStrip, toStrip);
    }

    /**
     * {@code C[m,n] (+)= A[m,k] . B} for a B made by this backend's {@link #pack}; rows of A at
     * {@code aOff + i * lda}, of C at {@code cOff + i * ldc}. The same bits as {@link #gemm} on B
     * itself.
     */
    void matmulPacked(float[] a, int aOff, int lda, PackedMatrix b, float[] c, int cOff, int ldc, int m,
                      boolean accumulate);

    /**
     * B [k, n] (read at {@code b[bOff + p * ldb + j]}) copied into the {@link GemvMatrix} layout
     * this backend's {@link #matmulGemv} reads: worth it for a B that a few rows at a time are
     * multiplied by many times over (a recurrent kernel, in a decoding of one sentence).
     */
    GemvMatrix packForGemv(float[] b, int bOff, int ldb, int k, int n);

    /**
     * {@code C[m,n] (+)= A[m,k] . B} for a few rows m and a B made by this backend's
     * {@link #packForGemv}; rows of A at {@code aOff + i * lda}, of C at {@code cOff + i * ldc}.
     * The same bits as {@link #gemm} on B itself.
     */
    void matmulGemv(float[] a, int aOff, int lda, int m, GemvMatrix b, float[] c, int cOff, int ldc,
                    boolean accumulate);

    /**
     * One row times a bf16 matrix: {@code c[0, n) (+)= sum over p of a[p] . B[p, 0 .. n)}, B [k, n]
     * in {@link Bf16#pairs}' layout from {@code bOff} (row p at {@code bOff + p * pairColumns(n)}).
     * Each element is summed p = 0, 1, ... with one FMA each: the vector backend's float32 products
     * over the widened weights give the same bits. The vector kernel is fastest when n is a
     * multiple of 32 (pad B with zero columns): then no column is left to a scalar loop.
     */
    void rowTimesBf16Matrix(float[] a, int aOff, int[] b, int bOff, float[] c, int cOff, int k, int n,
                            boolean accumulate);

    // ---------------------------------------------------------------- elementwise, length n

    /** out = x + y (out may alias x or y). */
    void add(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n);

    /** out = x - y (out may alias x or y). */
    void sub(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n);

    /** out = x * y (out may alias x or y). */
    void mul(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n);

    /** out += x * y (the product rule's accumulation). */
    void mulAdd(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n);

    /** y += alpha * x. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * One RMSprop update of n weights from their gradients, element by element, in this order of
     * float operations (so every implementation gives the same bits):
     * <pre>
     *   g = gradient * gradientScale
     *   v = rho * v + (1 - rho) * g * g
     *   w = w - learningRate * g / (sqrt(v) + epsilon)
     * </pre>
     */
    void rmspropUpdate(float[] w, int wOff, float[] gradient, int gOff, float[] v, int vOff, int n,
                       float gradientScale, float learningRate, float rho, float epsilon);

    /**
     * One Adam update of n weights from their gradients, element by element, in this order of float
     * operations (so every implementation gives the same bits); m and v share {@code stateOff}:
     * <pre>
     *   g = gradient * gradientScale
     *   m = beta1 * m + (1 - beta1) * g
     *   v = beta2 * v + (1 - beta2) * g * g
     *   w = w - stepSize * m / (sqrt(v) / correction2Sqrt + epsilon)
     * </pre>
     * where the caller folds the bias corrections of step t into stepSize = lr / (1 - beta1^t) and
     * correction2Sqrt = sqrt(1 - beta2^t), as PyTorch's Adam does.
     */
    void adamUpdate(float[] w, int wOff, float[] gradient, int gOff, float[] m, float[] v, int stateOff, int n,
                    float gradientScale, float stepSize, float beta1, float beta2, float correction2Sqrt,
                    float epsilon);

    /**
     * Moves n running averages a fraction {@code rate} of the way towards the current values, element
     * by element, in this order of float operations (so every implementation gives the same bits):
     * <pre>
     *   average = average + rate * (x - average)
     * </pre>
     * which is {@code (1 - rate) * average + rate * x}, an exponential moving average with decay
     * 1 - rate, written so that an average equal to x stays exactly x.
     */
    void movingAverage(float[] average, int avgOff, float[] x, int xOff, int n, float rate);

    /**
     * The elementwise part of an LSTM cell's backward, for one row of {@code units} units. Reads
     * the gate activations {@code act} = [i | f | g | o] (4 x units), c_{t-1}, tanh(c_t), dh_t and
     * dc_t (what came from step t+1); writes dz = [di | df | dg | do] pre-activation gradients
     * (4 x units) and dc_{t-1}. In this order of float operations, none fused (so every
     * implementation gives the same bits):
     * <pre>
     *   dc     = dc + dh * o * (1 - tanh(c) * tanh(c))
     *   di     = dc * g * i * (1 - i)
     *   df     = dc * c_{t-1} * f * (1 - f)
     *   dg     = dc * i * (1 - g * g)
     *   do     = dh * tanh(c) * o * (1 - o)
     *   dcPrev = dc * f
     * </pre>
     * dz may be act itself, at the same offset: each unit's four activations are read before its
     * four gradients are written, so the recurrence can turn the activations into the gradients
     * in place. A kernel, though it is one layer's formula, because it is the hottest elementwise
     * loop of training; the layer's derivation stays beside the layer ({@code nn.rnn.LSTMCell}).
     */
    void lstmBackwardRow(int units, float[] act, int actOff, float[] cPrev, int cPrevOff, float[] tanhC, int tanhCOff,
                         float[] dh, int dhOff, float[] dc, int dcOff, float[] dz, int dzOff,
                         float[] dcPrev, int dcPrevOff);

    /**
     * The elementwise part of a GRU cell's backward (Keras's reset_after form), for one row. Reads
     * the gate activations {@code act} = [z | r | n], the recurrent products {@code hz} (its third
     * block is U_n . h_{t-1} + b_n), h_{t-1} and dh_t; writes the pre-activation gradients of the
     * input side {@code dxz} = [daz | dar | dan], of the recurrent side {@code dhz} = [daz | dar |
     * dan * r], and dh_{t-1}'s direct part. In this order of float operations, none fused:
     * <pre>
     *   daz    = dh * (h_{t-1} - n) * z * (1 - z)
     *   dan    = dh * (1 - z) * (1 - n * n)
     *   dar    = dan * hz_n * r * (1 - r)
     *   dhPrev = dh * z
     * </pre>
     * dxz may be act itself and dhz hz itself, at the same offsets: each unit's values are read
     * before its gradients are written.
     */
    void gruBackwardRow(int units, float[] act, int actOff, float[] hz, int hzOff, float[] hPrev, int hPrevOff,
                        float[] dh, int dhOff, float[] dxz, int dxzOff, float[] dhz, int dhzOff,
                        float[] dhPrev, int dhPrevOff);

    /** out = alpha * x (out may alias x). */
    void scale(float alpha, float[] x, int xOff, float[] out, int outOff, int n);

    /** out = 1 / (1 + exp(-x)) (out may alias x). */
    void sigmoid(float[] x, int xOff, float[] out, int outOff, int n);

    /** out = tanh(x) (out may alias x). */
    void tanh(float[] x, int xOff, float[] out, int outOff, int n);

    /** out = exp(x) (out may alias x). */
    void exp(float[] x, int xOff, float[] out, int outOff, int n);

    /** The sum of x[0..n), accumulated in the kernel's own fixed order. */
    float sum(float[] x, int xOff, int n);

    /**
     * log sum_i exp(x[i]) over x[0..n), as max + log(sum_i exp(x[i] - max)): the exps and their sum
     * in float, as {@link #logSoftmaxRows} takes them, the log and the max added in double. A beam
     * search's log-softmax normalizer of a row of scores.
     */
    double logSumExp(float[] x, int xOff, int n);

    // ---------------------------------------------------------------- rows of a [rows, cols] matrix

    /** Each row of out = softmax of that row of x (out may alias x). */
    void softmaxRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols);

    /** Each row of out = log-softmax of that row of x: x - max - log(sum(exp(x - max))). */
    void logSoftmaxRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols);

    /**
     * out[r, :] = x[r, :] + v for every row of x[rows, cols] (a bias added to every row), each row
     * by {@link #add}.
     */
    default void addToRows(float[] x, int xOff, float[] v, int vOff, float[] out, int outOff, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            add(x, xOff + r * cols, v, vOff, out, outOff + r * cols, cols);
        }
    }

    /** out[cols] (+)= sum over the rows of x[rows, cols] (a bias gradient). */
    void sumRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols, boolean accumulate);

    /** out[rows] (+)= sum over the columns of each row of x[rows, cols], each by {@link #sum}. */
    default void sumColumns(float[] x, int xOff, float[] out, int outOff, int rows, int cols, boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            float rowSum = sum(x, xOff + r * cols, cols);
            out[outOff + r] = accumulate ? out[outOff + r] + rowSum : rowSum;
        }
    }

    /**
     * out row r = table row ids[r], for r in [0, count): an embedding or one-hot lookup. A row copy
     * is already a vectorised memory move, so both backends share this one.
     */
    default void gatherRows(float[] table, int tableOff, int cols, int[] ids, int idsOff, int count,
                            float[] out, int outOff) {
        for (int r = 0; r < count; r++) {
            System.arraycopy(table, tableOff + ids[idsOff + r] * cols, out, outOff + r * cols, cols);
        }
    }

    /**
     * out row r = table row ids[r] + v, for r in [0, count): a one-hot input's projection with its
     * bias, each row by {@link #add}. The same bits as {@link #gatherRows} then {@link #addToRows},
     * in one pass over out instead of two.
     */
    default void gatherRowsPlus(float[] table, int tableOff, int cols, int[] ids, int idsOff, int count,
                                float[] v, int vOff, float[] out, int outOff) {
        for (int r = 0; r < count; r++) {
            add(table, tableOff + ids[idsOff + r] * cols, v, vOff, out, outOff + r * cols, cols);
        }
    }

    /** table row ids[r] += src row r, for r in [0, count): the gradient of {@link #gatherRows}. */
    void scatterAddRows(float[] src, int srcOff, int cols, int[] ids, int idsOff, int count,
                        float[] table, int tableOff);
}
