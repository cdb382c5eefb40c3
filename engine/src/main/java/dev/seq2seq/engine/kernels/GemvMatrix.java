package dev.seq2seq.engine.kernels;

/**
 * A copy of a matrix B [k, n] laid out for products of one row or a few at a time, c = a . B (a
 * matrix-vector product, "gemv"): decoding one sentence multiplies its state by the same
 * recurrent kernel at every step. Made by {@link Kernels#packForGemv}, read by
 * {@link Kernels#matmulGemv}; the products give the same bits as {@link Kernels#gemm} on B
 * itself.
 *
 * <p>The layout: the rows are cut into bands of {@link #bandRows()} rows (the last band holds what
 * remains), the columns into groups of {@link #lanes()} (one vector; the last group padded with
 * zero columns), and each band is stored group after group, each group's rows one after the
 * other:
 *
 * <pre>
 *   band 0: rows 0..R-1 of columns 0..L-1, rows 0..R-1 of columns L..2L-1, ...
 *   band 1: rows R..2R-1 of columns 0..L-1, ...
 * </pre>
 *
 * A one-row product takes R rows of B per pass over c (R broadcast elements of a, one FMA chain per
 * vector of c), and in this layout such a pass reads B front to back in one stream, R vectors at a
 * time. In B itself the same pass reads R rows at once, R streams a whole row of B apart, and an
 * AVX-512 core read a 256 x 512 panel at 99-114 GB/s that way against 165-220 GB/s from this
 * layout (a throwaway loop, JDK 25 and 17, Zen 5).
 */
public final class GemvMatrix {
    private final float[] data;
    private final int rows;
    private final int columns;
    private final int bandRows;
    private final int lanes;
    /** columns rounded up to whole groups of lanes. */
    private final int paddedColumns;

    private GemvMatrix(float[] data, int rows, int columns, int bandRows, int lanes) {
        this.data = data;
        this.rows = rows;
        this.columns = columns;
        this.bandRows = bandRows;
        this.lanes = lanes;
        this.paddedColumns = (columns + lanes - 1) / lanes * lanes;
    }

    /**
     * B [rows, columns] read at {@code b[bOff + p * ldb + j]}, in bands of {@code bandRows} rows and
     * groups of {@code lanes} columns. Band 1 and lanes = columns is B itself, row-major.
     */
    public static GemvMatrix of(float[] b, int bOff, int ldb, int rows, int columns, int bandRows, int lanes) {
        if (rows < 0 || columns < 0 || bandRows <= 0 || lanes <= 0) {
            throw new IllegalArgumentException("cannot lay out a [" + rows + ", " + columns + "] matrix in bands of "
                    + bandRows + " rows and groups of " + lanes + " columns");
        }
        long size = (long) rows * ((columns + lanes - 1) / lanes * lanes);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a [" + rows + ", " + columns + "] matrix is too large to lay out");
        }
        GemvMatrix matrix = new GemvMatrix(new float[(int) size], rows, columns, bandRows, lanes);
        for (int p = 0; p < rows; p++) {
            for (int group = 0; group * lanes < columns; group++) {
                int from = group * lanes;
                System.arraycopy(b, bOff + p * ldb + from, matrix.data, matrix.index(p, from),
                        Math.min(lanes, columns - from));
            }
        }
        return matrix;
    }

    /** Where element (p, j) of B lies in {@link #data()}. */
    public int index(int p, int j) {
        int band = p / bandRows;
        int bandStart = band * bandRows;
        int height = bandHeight(bandStart);
        return bandStart * paddedColumns + (j / lanes) * height * lanes + (p - bandStart) * lanes + j % lanes;
    }

    /** Rows in the band that starts at row {@code bandStart}: bandRows, or what remains in the last. */
    private int bandHeight(int bandStart) {
        return Math.min(bandRows, rows - bandStart);
    }

    /** The laid-out elements, the padding columns zero: read, never written, by the products. */
    public float[] data() {
        return data;
    }

    /** k, B's rows. */
    public int rows() {
        return rows;
    }

    /** n, B's columns (without the padding). */
    public int columns() {
        return columns;
    }

    /** Rows of B per band. */
    public int bandRows() {
        return bandRows;
    }

    /** Columns per group: one vector of the backend that laid it out. */
    public int lanes() {
        return lanes;
    }

    /** n rounded up to whole groups: a band's row of groups is this many floats per row. */
    public int paddedColumns() {
        return paddedColumns;
    }
}
