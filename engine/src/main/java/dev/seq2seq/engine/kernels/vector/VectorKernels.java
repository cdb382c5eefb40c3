package dev.seq2seq.engine.kernels.vector;

import static dev.seq2seq.engine.kernels.vector.VectorWidth.LANES;

import dev.seq2seq.engine.kernels.GemvMatrix;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.engine.kernels.PackedMatrix;

/**
 * The {@link Kernels} contract on the JDK Vector API, at the width {@link VectorWidth} chose.
 * Loaded reflectively by the backend only when {@code jdk.incubator.vector} is readable: this
 * package is the only one that imports the incubator module.
 */
public final class VectorKernels implements Kernels {

    /** Vector width in bits, for the backend's log line. */
    public static int vectorBits() {
        return VectorWidth.SPECIES.vectorBitSize();
    }

    @Override
    public String name() {
        return "vector-" + vectorBits();
    }

    @Override
    public void gemm(float[] a, int aOff, int aRowStride, int aColStride, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, int m, int k, int n, boolean accumulate) {
        VectorGemm.gemm(a, aOff, aRowStride, aColStride, b, bOff, ldb, c, cOff, ldc, m, k, n, accumulate);
    }

    @Override
    public void matmulTransARows(float[] a, int lda, int[] rows, int count, float[] b, int bOff, int ldb,
                                 float[] c, int cOff, int ldc, int m, int n) {
        VectorGemm.gemmTransARows(a, lda, rows, count, b, bOff, ldb, c, cOff, ldc, m, n);
    }

    @Override
    public int packedStripWidth(int n) {
        return VectorPackedGemm.STRIP_COLUMNS;
    }

    @Override
    public void packStripsTransposed(PackedMatrix packed, float[] s, int sOff, int lds, int fromStrip, int toStrip) {
        VectorTranspose.packStrips(packed, s, sOff, lds, fromStrip, toStrip, VectorTranspose.IN_REGISTERS);
    }

    @Override
    public void matmulPacked(float[] a, int aOff, int lda, PackedMatrix b, float[] c, int cOff, int ldc, int m,
                             boolean accumulate) {
        VectorPackedGemm.gemm(a, aOff, lda, b, c, cOff, ldc, m, accumulate);
    }

    @Override
    public void gemmTransB(float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float[] c, int cOff, int ldc, int m, int k, int n, boolean accumulate) {
        VectorGemm.gemmTransB(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, k, n, accumulate);
    }

    @Override
    public void add(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        VectorMath.add(x, xOff, y, yOff, out, outOff, n);
    }

    @Override
    public void sub(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        VectorMath.sub(x, xOff, y, yOff, out, outOff, n);
    }

    @Override
    public void mul(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        VectorMath.mul(x, xOff, y, yOff, out, outOff, n);
    }

    @Override
    public void mulAdd(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        VectorMath.mulAdd(x, xOff, y, yOff, out, outOff, n);
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        VectorMath.axpy(alpha, x, xOff, y, yOff, n);
    }

    @Override
    public void scale(float alpha, float[] x, int xOff, float[] out, int outOff, int n) {
        VectorMath.scale(alpha, x, xOff, out, outOff, n);
    }

    @Override
    public void rmspropUpdate(float[] w, int wOff, float[] gradient, int gOff, float[] v, int vOff, int n,
                              float gradientScale, float learningRate, float rho, float epsilon) {
        VectorMath.rmspropUpdate(w, wOff, gradient, gOff, v, vOff, n, gradientScale, learningRate, rho, epsilon);
    }

    @Override
    public void adamUpdate(float[] w, int wOff, float[] gradient, int gOff, float[] m, float[] v, int stateOff, int n,
                           float gradientScale, float stepSize, float beta1, float beta2, float correction2Sqrt,
                           float epsilon) {
        VectorMath.adamUpdate(w, wOff, gradient, gOff, m, v, stateOff, n, gradientScale, stepSize, beta1, beta2,
                correction2Sqrt, epsilon);
    }

    @Override
    public GemvMatrix packForGemv(float[] b, int bOff, int ldb, int k, int n) {
        return GemvMatrix.of(b, bOff, ldb, k, n, VectorGemv.BAND_ROWS, LANES);
    }

    @Override
    public void matmulGemv(float[] a, int aOff, int lda, int m, GemvMatrix b, float[] c, int cOff, int ldc,
                           boolean accumulate) {
        VectorGemv.multiply(a, aOff, lda, m, b, c, cOff, ldc, accumulate);
    }

    @Override
    public void rowTimesBf16Matrix(float[] a, int aOff, int[] b, int bOff, float[] c, int cOff, int k, int n,
                                   boolean accumulate) {
        VectorBf16.rowTimesMatrix(a, aOff, b, bOff, c, cOff, k, n, accumulate);
    }

    @Override
    public void movingAverage(float[] average, int avgOff, float[] x, int xOff, int n, float rate) {
        VectorMath.movingAverage(average, avgOff, x, xOff, n, rate);
    }

    @Override
    public void lstmBackwardRow(int units, float[] act, int actOff, float[] cPrev, int cPrevOff, float[] tanhC,
                                int tanhCOff, float[] dh, int dhOff, float[] dc, int dcOff, float[] dz, int dzOff,
                                float[] dcPrev, int dcPrevOff) {
        VectorCells.lstmBackwardRow(units, act, actOff, cPrev, cPrevOff, tanhC, tanhCOff, dh, dhOff, dc, dcOff, dz,
                dzOff, dcPrev, dcPrevOff);
    }

    @Override
    public void gruBackwardRow(int units, float[] act, int actOff, float[] hz, int hzOff, float[] hPrev, int hPrevOff,
                               float[] dh, int dhOff, float[] dxz, int dxzOff, float[] dhz, int dhzOff,
                               float[] dhPrev, int dhPrevOff) {
        VectorCells.gruBackwardRow(units, act, actOff, hz, hzOff, hPrev, hPrevOff, dh, dhOff, dxz, dxzOff, dhz, dhzOff,
                dhPrev, dhPrevOff);
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] out, int outOff, int n) {
        VectorMath.sigmoid(x, xOff, out, outOff, n);
    }

    @Override
    public void tanh(float[] x, int xOff, float[] out, int outOff, int n) {
        VectorMath.tanh(x, xOff, out, outOff, n);
    }

    @Override
    public void exp(float[] x, int xOff, float[] out, int outOff, int n) {
        VectorMath.exp(x, xOff, out, outOff, n);
    }

    @Override
    public float sum(float[] x, int xOff, int n) {
        return LaneSums.sum(x, xOff, n);
    }

    @Override
    public double logSumExp(float[] x, int xOff, int n) {
        return VectorMath.logSumExp(x, xOff, n);
    }

    @Override
    public void softmaxRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols) {
        VectorMath.softmaxRows(x, xOff, out, outOff, rows, cols);
    }

    @Override
    public void logSoftmaxRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols) {
        VectorMath.logSoftmaxRows(x, xOff, out, outOff, rows, cols, new float[cols]);
    }

    @Override
    public void sumRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols, boolean accumulate) {
        VectorMath.sumRows(x, xOff, out, outOff, rows, cols, accumulate);
    }

    @Override
    public void scatterAddRows(float[] src, int srcOff, int cols, int[] ids, int idsOff, int count,
                               float[] table, int tableOff) {
        VectorMath.scatterAddRows(src, srcOff, cols, ids, idsOff, count, table, tableOff);
    }
}
