package dev.seq2seq.engine.autograd;

import static dev.seq2seq.engine.autograd.Grads.checkShape;
import static dev.seq2seq.engine.autograd.Grads.output;
import static dev.seq2seq.engine.autograd.Grads.wanted;

import dev.seq2seq.engine.Shapes;
import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.engine.kernels.PackedMatrix;

/**
 * Linear algebra ops, each forward followed by its backward. Notation: for an output C, dC is
 * d(loss)/dC; backward turns dC into contributions to dA, dB, ... and adds them (+=).
 */
public final class MatrixOps {
    private MatrixOps() {
    }

    private static Kernels k() {
        return Backend.kernels();
    }

    /**
     * C[m,n] = A[m,k] . B[k,n].
     * Backward: dA[m,k] += dC . B^T, dB[k,n] += A^T . dC.
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        Tensor c = product("matmul", a, b);
        int m = a.dim(0);
        int inner = a.dim(1);
        int n = b.dim(1);
        if (Tape.recording(a, b)) {
            Tape.record("matmul", c, () -> productBackward("matmul", a, b, c.gradData(), m, inner, n), a, b);
        }
        return c;
    }

    /**
     * C[m, n] = A[m, k] . B[k, n] + P[m, n]: a product added to a matrix already made (a recurrent
     * layer's input projection with input feeding: the fed-back part beside the tokens' part).
     * Backward: dA += dC . B^T, dB += A^T . dC, dP += dC.
     *
     * <p>The same numbers, to the bit, as {@code add(p, matmul(a, b))}: the product is complete
     * before P is added, addition commutes, and the product's backward read a copy of dC. Fused,
     * the product has no array of its own and no gradient array, and dC is not copied: for a
     * decoder trained one step at a time, two [B, 4H] arrays the tape holds and a pass over dC
     * fewer a step.
     */
    public static Tensor matmulPlus(Tensor a, Tensor b, Tensor p) {
        Tensor c = product("matmulPlus", a, b);
        Shapes.checkSame("matmulPlus", c, p);
        int m = a.dim(0);
        int inner = a.dim(1);
        int n = b.dim(1);
        k().add(c.data(), 0, p.data(), p.offset(), c.data(), 0, c.size());
        if (Tape.recording(a, b, p)) {
            Tape.record("matmulPlus", c, () -> {
                float[] dC = c.gradData();
                if (wanted(p)) {
                    k().axpy(1f, dC, 0, p.gradData(), p.offset(), c.size());
                }
                productBackward("matmulPlus", a, b, dC, m, inner, n);
            }, a, b, p);
        }
        return c;
    }

    /**
     * Y[m, n] = tanh([L ; R] . W) for L [m, p], R [m, q] side by side and W [p + q, n]: Luong's
     * attentional state h~ = tanh([c ; h] W_c). Backward, with dZ = dY * (1 - Y^2) for Z the
     * product: dW += [L ; R]^T . dZ, and dL, dR += their columns of dZ . W^T.
     *
     * <p>The same numbers, to the bit, as {@code tanh(matmul(concatColumns(l, r), w))}, each step
     * made by the same kernels in the same order; [L ; R] is made again in backward, a copy of a
     * few hundred KB, rather than kept. The tape holds Y alone where it held [L ; R], Z and Y and
     * then a gradient array for each: for an attention decoder trained one step at a time, four
     * arrays fewer a step.
     */
    public static Tensor tanhOfConcatProduct(Tensor l, Tensor r, Tensor w) {
        Tensor z;
        try (Tape.Scope ignored = Tape.pause()) {
            z = product("tanhOfConcatProduct", ShapeOps.concatColumns(l, r), w);
        }
        Tensor y = output(z.shape());
        k().tanh(z.data(), 0, y.data(), 0, y.size());
        if (Tape.recording(l, r, w)) {
            Tape.record("tanhOfConcatProduct", y, () -> {
                int m = y.dim(0);
                int n = y.dim(1);
                // dZ = dY * (1 - Y^2), written into zeros as the separate tanh's backward wrote it
                float[] dy = y.gradData();
                float[] out = y.data();
                float[] dz = new float[y.size()];
                for (int i = 0; i < dz.length; i++) {
                    dz[i] += dy[i] * (1f - out[i] * out[i]);
                }
                // then the product's backward and the concatenation's, as their own ops run them
                Tensor joined;
                try (Tape.Scope ignored = Tape.pause()) {
                    joined = ShapeOps.concatColumns(l, r).requireGrad();
                }
                productBackward("tanhOfConcatProduct", joined, w, dz, m, joined.dim(1), n);
                ShapeOps.concatColumnsBackward(joined.gradData(), l, r);
            }, l, r, w);
        }
        return y;
    }

    /**
     * C[m, n] = A[m, k] . B[k, n] + v[n] (v added to every row): a dense layer's pre-activation.
     * Backward: dA += dC . B^T, dB += A^T . dC, dv += the sum of dC's rows.
     *
     * <p>The same numbers, to the bit, as {@code addRowVector(matmul(a, b), v)}: the product is
     * complete before v is added, and there dC passed unchanged to the product's gradient. Fused,
     * there is one [m, n] array instead of two and one gradient array instead of two; for a
     * softmax head over 8,000 words, [m, n] is 18 MB, and each pass over it costs about a
     * millisecond of memory traffic.
     */
    public static Tensor affine(Tensor a, Tensor b, Tensor v) {
        Tensor c = affineValues("affine", a, b, v);
        if (Tape.recording(a, b, v)) {
            Tape.record("affine", c, () -> affineBackward(a, b, v, c.gradData()), a, b, v);
        }
        return c;
    }

    /**
     * C[m, n] = A . B + v exactly as {@link #affine} computes it, recorded nowhere: for an op that
     * fuses the affine map with what follows it, owns C, and records itself (the output layer's
     * cross-entropy). {@code op} names it in error messages.
     */
    public static Tensor affineValues(String op, Tensor a, Tensor b, Tensor v) {
        Tensor c = product(op, a, b);
        int m = a.dim(0);
        int n = b.dim(1);
        if (v.size() != n || v.rank() != 1) {
            throw new IllegalArgumentException(op + ": row vector " + v.describe() + " does not match the columns of "
                    + b.describe());
        }
        k().addToRows(c.data(), 0, v.data(), v.offset(), c.data(), 0, m, n);
        return c;
    }

    /**
     * The backward of C = A . B + v, given dC [m, n] (offset 0), exactly as {@link #affine}'s:
     * dA += dC . B^T, dB += A^T . dC, dv += the sum of dC's rows, each if wanted. Call it from
     * inside a backward pass.
     */
    public static void affineBackward(Tensor a, Tensor b, Tensor v, float[] dC) {
        int m = a.dim(0);
        int n = b.dim(1);
        productBackward("affine", a, b, dC, m, a.dim(1), n);
        if (wanted(v)) {
            k().sumRows(dC, 0, v.gradData(), v.offset(), m, n, true);
        }
    }

    /**
     * C[m, n] = A[m, k] . B[k, n], the shapes checked first (nothing recorded); over a decoding
     * run's packed copy of B when there is one ({@link PackedWeights}), the same bits.
     */
    private static Tensor product(String op, Tensor a, Tensor b) {
        Shapes.checkMatrix(op, a);
        Shapes.checkMatrix(op, b);
        if (b.dim(0) != a.dim(1)) {
            throw new IllegalArgumentException(op + ": inner dimensions differ: " + a.describe() + " . " + b.describe());
        }
        Tensor c = output(a.dim(0), b.dim(1));
        PackedMatrix packed = PackedWeights.packedFor(b);
        if (packed != null) {
            k().matmulPacked(a.data(), a.offset(), a.dim(1), packed, c.data(), 0, b.dim(1), a.dim(0), false);
        } else {
            k().matmul(a.data(), a.offset(), b.data(), b.offset(), c.data(), 0, a.dim(0), a.dim(1), b.dim(1), false);
        }
        return c;
    }

    /** The backward of C = A . B, given dC [m, n]: dA += dC . B^T and dB += A^T . dC, each if wanted. */
    private static void productBackward(String op, Tensor a, Tensor b, float[] dC, int m, int inner, int n) {
        if (wanted(a)) {
            checkShape(op, a, m, inner);
            // dA = dC[m,n] . (B[inner,n])^T
            multiplyByTransposed(dC, b, a.gradData(), a.offset(), m, n, inner);
        }
        if (wanted(b)) {
            checkShape(op, b, inner, n);
            // dB = (A[m,inner])^T . dC[m,n]: now, or with a weight's other steps at the pass's end
            if (!StackedProducts.stack(b, a.data(), a.offset(), inner, dC, 0, n, null, m)) {
                k().matmulTransA(a.data(), a.offset(), dC, 0, b.gradData(), b.offset(), inner, m, n, true);
            }
        }
    }

    /**
     * dA[m, inner] += dC[m, n] . B^T for B [inner, n], with the packed B^T the backward pass
     * shares ({@link Tape#packedTransposedInBackward}) when there is one (the same bits as the
     * product by a plain B^T), else as dot products of rows.
     */
    private static void multiplyByTransposed(float[] dC, Tensor b, float[] dA, int dAOff, int m, int n, int inner) {
        PackedMatrix transposed = Tape.packedTransposedInBackward(b);
        if (transposed != null) {
            k().matmulPacked(dC, 0, n, transposed, dA, dAOff, inner, m, true);
        } else {
            k().matmulTransB(dC, 0, b.data(), b.offset(), dA, dAOff, m, n, inner, true);
        }
    }

    /** C = A + B (same shapes). Backward: dA += dC, dB += dC. */
    public static Tensor add(Tensor a, Tensor b) {
        Shapes.checkSame("add", a, b);
        Tensor c = output(a.shape());
        k().add(a.data(), a.offset(), b.data(), b.offset(), c.data(), 0, c.size());
        if (Tape.recording(a, b)) {
            Tape.record("add", c, () -> {
                if (wanted(a)) {
                    k().axpy(1f, c.gradData(), 0, a.gradData(), a.offset(), c.size());
                }
                if (wanted(b)) {
                    k().axpy(1f, c.gradData(), 0, b.gradData(), b.offset(), c.size());
                }
            }, a, b);
        }
        return c;
    }

    /** C = A - B (same shapes). Backward: dA += dC, dB -= dC. */
    public static Tensor sub(Tensor a, Tensor b) {
        Shapes.checkSame("sub", a, b);
        Tensor c = output(a.shape());
        k().sub(a.data(), a.offset(), b.data(), b.offset(), c.data(), 0, c.size());
        if (Tape.recording(a, b)) {
            Tape.record("sub", c, () -> {
                if (wanted(a)) {
                    k().axpy(1f, c.gradData(), 0, a.gradData(), a.offset(), c.size());
                }
                if (wanted(b)) {
                    k().axpy(-1f, c.gradData(), 0, b.gradData(), b.offset(), c.size());
                }
            }, a, b);
        }
        return c;
    }

    /** C = A * B elementwise (same shapes). Backward (product rule): dA += dC * B, dB += dC * A. */
    public static Tensor mul(Tensor a, Tensor b) {
        Shapes.checkSame("mul", a, b);
        Tensor c = output(a.shape());
        k().mul(a.data(), a.offset(), b.data(), b.offset(), c.data(), 0, c.size());
        if (Tape.recording(a, b)) {
            Tape.record("mul", c, () -> {
                if (wanted(a)) {
                    k().mulAdd(c.gradData(), 0, b.data(), b.offset(), a.gradData(), a.offset(), c.size());
                }
                if (wanted(b)) {
                    k().mulAdd(c.gradData(), 0, a.data(), a.offset(), b.gradData(), b.offset(), c.size());
                }
            }, a, b);
        }
        return c;
    }

    /** C = s * A. Backward: dA += s * dC. */
    public static Tensor scale(Tensor a, float s) {
        Tensor c = output(a.shape());
        k().scale(s, a.data(), a.offset(), c.data(), 0, c.size());
        if (Tape.recording(a)) {
            Tape.record("scale", c, () -> k().axpy(s, c.gradData(), 0, a.gradData(), a.offset(), c.size()), a);
        }
        return c;
    }

    /**
     * C[m,n] = A[m,n] + v[n] on every row (a bias).
     * Backward: dA += dC; dv += the sum of dC over its rows.
     */
    public static Tensor addRowVector(Tensor a, Tensor v) {
        Shapes.checkMatrix("addRowVector", a);
        int m = a.dim(0);
        int n = a.dim(1);
        if (v.size() != n || v.rank() != 1) {
            throw new IllegalArgumentException("addRowVector: row vector " + v.describe() + " does not match the columns of "
                    + a.describe());
        }
        Tensor c = output(m, n);
        k().addToRows(a.data(), a.offset(), v.data(), v.offset(), c.data(), 0, m, n);
        if (Tape.recording(a, v)) {
            Tape.record("addRowVector", c, () -> {
                if (wanted(a)) {
                    k().axpy(1f, c.gradData(), 0, a.gradData(), a.offset(), c.size());
                }
                if (wanted(v)) {
                    k().sumRows(c.gradData(), 0, v.gradData(), v.offset(), m, n, true);
                }
            }, a, v);
        }
        return c;
    }

    /**
     * C[B, n] = onehot(ids) . table + v, for a table [V, n], ids [B] and a row vector v [n]: row b
     * of C is table[ids[b]] + v. A one-hot row times a matrix picks one of its rows, so the
     * product is row picks, and the bias is added in the same pass (one output where
     * gatherRows then addRowVector make two, and one gradient array instead of two; an input
     * projection over a whole batch of sequences is [T*B, 4H]). Backward: dTable[ids[b]] += dC[b]
     * for every b, dv += the column sums of dC. Same numbers as gatherRows then addRowVector.
     */
    public static Tensor oneHotProjection(int[] ids, Tensor table, Tensor v) {
        checkOneHot("oneHotProjection", ids, table, v);
        int m = ids.length;
        int n = table.dim(1);
        Tensor c = output(m, n);
        k().gatherRowsPlus(table.data(), table.offset(), n, ids, 0, m, v.data(), v.offset(), c.data(), 0);
        if (Tape.recording(table, v)) {
            int[] picked = ids.clone();
            Tape.record("oneHotProjection", c, () -> oneHotBackward(picked, table, v, c.gradData()), table, v);
        }
        return c;
    }

    /**
     * C[B, n] = onehot(ids) . table + v + A[B, k] . B[k, n]: {@link #oneHotProjection} added to a
     * product, as {@link #matmulPlus} adds one (a character-level decoder's step with input
     * feeding: the previous tokens' rows of the input kernel, its bias, and the fed-back rows times
     * h~). Backward: dTable[ids[b]] += dC[b], dv += the column sums of dC, dA += dC . B^T, dB +=
     * A^T . dC.
     *
     * <p>The same numbers, to the bit, as {@code matmulPlus(a, b, oneHotProjection(ids, table,
     * v))}: each row's table[id] + v is rounded before the product is added to it, and dC reaches
     * the table and v as the lookup's gradient did. One [B, n] array fewer, and its gradient
     * array, for the tape to hold at every step.
     */
    public static Tensor oneHotProjectionPlus(int[] ids, Tensor table, Tensor v, Tensor a, Tensor b) {
        checkOneHot("oneHotProjectionPlus", ids, table, v);
        Tensor c = product("oneHotProjectionPlus", a, b);
        int m = ids.length;
        int inner = a.dim(1);
        int n = b.dim(1);
        if (c.dim(0) != m || n != table.dim(1)) {
            throw new IllegalArgumentException("oneHotProjectionPlus: " + m + " ids and " + table.describe()
                    + " do not fit the product " + a.describe() + " . " + b.describe());
        }
        float[] row = new float[n];
        for (int r = 0; r < m; r++) {
            // table[id] + v, rounded, then the product's row added to it
            k().add(table.data(), table.offset() + ids[r] * n, v.data(), v.offset(), row, 0, n);
            k().add(c.data(), r * n, row, 0, c.data(), r * n, n);
        }
        if (Tape.recording(table, v, a, b)) {
            int[] picked = ids.clone();
            Tape.record("oneHotProjectionPlus", c, () -> {
                float[] dC = c.gradData();
                oneHotBackward(picked, table, v, dC);
                productBackward("oneHotProjectionPlus", a, b, dC, m, inner, n);
            }, table, v, a, b);
        }
        return c;
    }

    /** The ids index the table's rows, and v is a row vector of its width. */
    private static void checkOneHot(String op, int[] ids, Tensor table, Tensor v) {
        Shapes.checkMatrix(op, table);
        int vocabulary = table.dim(0);
        if (v.size() != table.dim(1) || v.rank() != 1) {
            throw new IllegalArgumentException(op + ": row vector " + v.describe() + " does not match the columns of "
                    + table.describe());
        }
        for (int r = 0; r < ids.length; r++) {
            if (ids[r] < 0 || ids[r] >= vocabulary) {
                throw new IndexOutOfBoundsException(op + ": id " + ids[r] + " at position " + r
                        + " is outside the rows of " + table.describe());
            }
        }
    }

    /** dTable[ids[b]] += dC[b] for every b, dv += the column sums of dC, each if wanted. */
    private static void oneHotBackward(int[] ids, Tensor table, Tensor v, float[] dC) {
        int n = table.dim(1);
        if (wanted(table)) {
            k().scatterAddRows(dC, 0, n, ids, 0, ids.length, table.gradData(), table.offset());
        }
        if (wanted(v)) {
            k().sumRows(dC, 0, v.gradData(), v.offset(), ids.length, n, true);
        }
    }

    /** s = the sum of all elements, shape [1]. Backward: dA[i] += ds for every i. */
    public static Tensor sum(Tensor a) {
        Tensor s = output(1);
        s.data()[0] = k().sum(a.data(), a.offset(), a.size());
        if (Tape.recording(a)) {
            Tape.record("sum", s, () -> addConstant(a, s.gradData()[0]), a);
        }
        return s;
    }

    /** s = the mean of all elements, shape [1]. Backward: dA[i] += ds / size. */
    public static Tensor mean(Tensor a) {
        Tensor s = output(1);
        s.data()[0] = k().sum(a.data(), a.offset(), a.size()) / a.size();
        if (Tape.recording(a)) {
            Tape.record("mean", s, () -> addConstant(a, s.gradData()[0] / a.size()), a);
        }
        return s;
    }

    private static void addConstant(Tensor a, float value) {
        float[] grad = a.gradData();
        for (int i = a.offset(), end = a.offset() + a.size(); i < end; i++) {
            grad[i] += value;
        }
    }
}
