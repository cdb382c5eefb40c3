package dev.seq2seq.engine.kernels;

/**
 * A copy of a matrix B [k, n] laid out the way a backend's matrix product reads it fastest, for a
 * B that is multiplied many times over: a recurrent kernel U, once per step of a sequence. Made by
 * {@link Kernels#pack}, read by {@link Kernels#matmulPacked}; the products give the same bits as
 * {@link Kernels#gemm} on B itself.
 *
 * <p>The layout: the columns are cut into strips {@link #stripWidth()} wide, and strip s (columns
 * [s w, s w + w)) is stored as one contiguous [k, w] block from {@code s k w}, its row p at
 * {@code + p w}; the last strip is padded with zero columns to the full width. A tile of the
 * product walks down one strip, a row of it per step of k. In B itself those rows lie a whole row
 * of B apart, 4 KiB for n = 1024, so a strip's rows fall into the same few sets of the L1 cache,
 * evict each other, and each sits on a page of its own: every tile then reads its strip from L2.
 * Packed, a strip is a few contiguous KiB that stay in L1 for all the tiles that read it. On an
 * AVX2 EPYC (Zen 3) the gate shape 64 x 256 x 1024 ran at about 88% of one core's FMA ceiling from
 * packed strips, against 55-65% from B itself (the same tiles, best of 200 calls, alternated).
 */
public final class PackedMatrix {
    /** Rows of B per band of {@link #packStripsTransposed}: 16 KiB of a strip 16 wide (AVX2). */
    private static final int TRANSPOSE_BAND = 256;

    private final float[] data;
    /** Where the first strip starts in {@link #data}: not 0 in a view made by {@link #columns(int, int)}. */
    private final int offset;
    private final int rows;
    private final int columns;
    private final int stripWidth;

    private PackedMatrix(float[] data, int offset, int rows, int columns, int stripWidth) {
        this.data = data;
        this.offset = offset;
        this.rows = rows;
        this.columns = columns;
        this.stripWidth = stripWidth;
    }

    /** B [rows, columns] read at {@code b[bOff + p * ldb + j]}, packed in strips {@code stripWidth} wide. */
    public static PackedMatrix of(float[] b, int bOff, int ldb, int rows, int columns, int stripWidth) {
        PackedMatrix packed = over(null, rows, columns, stripWidth);
        packed.packStrips(b, bOff, ldb, 0, packed.strips());
        return packed;
    }

    /**
     * B = S^T [rows, columns] packed in strips {@code stripWidth} wide, where S [columns, rows] is
     * what is stored, read at {@code s[sOff + j * lds + p]}: a recurrent kernel U packed as U^T for
     * backward in one pass, without a transposed copy first. The same layout and elements as
     * {@link #of} over S^T.
     */
    public static PackedMatrix ofTransposed(float[] s, int sOff, int lds, int rows, int columns, int stripWidth) {
        PackedMatrix packed = over(null, rows, columns, stripWidth);
        packed.packStripsTransposed(s, sOff, lds, 0, packed.strips());
        return packed;
    }

    /** How many floats the layout of B [rows, columns] in strips {@code stripWidth} wide takes. */
    public static int size(int rows, int columns, int stripWidth) {
        if (rows < 0 || columns < 0 || stripWidth <= 0) {
            throw new IllegalArgumentException("cannot pack a [" + rows + ", " + columns + "] matrix in strips "
                    + stripWidth + " wide");
        }
        long size = (long) (columns + stripWidth - 1) / stripWidth * rows * stripWidth;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a [" + rows + ", " + columns + "] matrix is too large to pack");
        }
        return (int) size;
    }

    /**
     * The layout of B [rows, columns] over {@code storage} (at least {@link #size} floats, whatever
     * they hold; null for a new array), to be filled by {@link #packStrips} or
     * {@link #packStripsTransposed} before any product reads it. An array given back by an earlier
     * packing saves the JVM allocating and zeroing a new one for every pass over a sequence (a
     * megabyte for a recurrent kernel of 256 units, four times a training step).
     */
    public static PackedMatrix over(float[] storage, int rows, int columns, int stripWidth) {
        int size = size(rows, columns, stripWidth);
        if (storage == null) {
            storage = new float[size];
        } else if (storage.length < size) {
            throw new IllegalArgumentException("an array of " + storage.length + " floats cannot hold a packed ["
                    + rows + ", " + columns + "] matrix (" + size + " floats)");
        }
        return new PackedMatrix(storage, 0, rows, columns, stripWidth);
    }

    /**
     * Strips [fromStrip, toStrip) of B [rows, columns] read at {@code b[bOff + p * ldb + j]}, the
     * last strip's padding columns set to zero. Strips are disjoint, so threads may fill different
     * ones at once.
     */
    public void packStrips(float[] b, int bOff, int ldb, int fromStrip, int toStrip) {
        for (int strip = fromStrip; strip < toStrip; strip++) {
            int from = strip * stripWidth;
            int width = Math.min(stripWidth, columns - from);
            int block = offset + strip * rows * stripWidth;
            for (int p = 0; p < rows; p++) {
                System.arraycopy(b, bOff + p * ldb + from, data, block + p * stripWidth, width);
            }
            zeroPadding(block, width);
        }
    }

    /**
     * Strips [fromStrip, toStrip) of B = S^T, S [columns, rows] read at {@code s[sOff + j * lds + p]}
     * (see {@link #ofTransposed}), the last strip's padding set to zero; as {@link #packStrips},
     * threads may fill different strips at once.
     */
    public void packStripsTransposed(float[] s, int sOff, int lds, int fromStrip, int toStrip) {
        for (int strip = fromStrip; strip < toStrip; strip++) {
            int from = strip * stripWidth;
            int width = Math.min(stripWidth, columns - from);
            int block = offset + strip * rows * stripWidth;
            // In bands of rows, so that the part of the strip written by the width passes stays in
            // L1 (a strip of a B with 8,000 rows is half a megabyte).
            for (int band = 0; band < rows; band += TRANSPOSE_BAND) {
                int bandEnd = Math.min(rows, band + TRANSPOSE_BAND);
                for (int q = 0; q < width; q++) {
                    // column from + q of B is row from + q of S, read in order, written a strip row apart
                    int source = sOff + (from + q) * lds;
                    for (int p = band; p < bandEnd; p++) {
                        data[block + p * stripWidth + q] = s[source + p];
                    }
                }
            }
            zeroPadding(block, width);
        }
    }

    /** Columns [width, stripWidth) of every row of the strip at {@code block}: zeros, as the tiles read them. */
    private void zeroPadding(int block, int width) {
        if (width < stripWidth) {
            for (int p = 0; p < rows; p++) {
                java.util.Arrays.fill(data, block + p * stripWidth + width, block + (p + 1) * stripWidth, 0f);
            }
        }
    }

    /**
     * Columns [from, to) of B, sharing these elements: whole strips, so {@code from} is a multiple
     * of the strip width (a thread's share of the columns of a product).
     */
    public PackedMatrix columns(int from, int to) {
        if (from < 0 || from > to || to > columns || from % stripWidth != 0) {
            throw new IllegalArgumentException("columns [" + from + ", " + to + ") of a packed matrix of " + columns
                    + " columns in strips " + stripWidth + " wide");
        }
        return new PackedMatrix(data, offset + from / stripWidth * rows * stripWidth, rows, to - from, stripWidth);
    }

    /** Where element (p, j) of B lies in {@link #data()}. */
    public int index(int p, int j) {
        int strip = j / stripWidth;
        return offset + (strip * rows + p) * stripWidth + j - strip * stripWidth;
    }

    /** The packed elements, from {@link #offset()}: read, never written, by the products. */
    public float[] data() {
        return data;
    }

    /** Where the first strip starts in {@link #data()}. */
    public int offset() {
        return offset;
    }

    /** k, B's rows. */
    public int rows() {
        return rows;
    }

    /** n, B's columns (without the padding of the last strip). */
    public int columns() {
        return columns;
    }

    public int stripWidth() {
        return stripWidth;
    }

    /** How many strips hold the columns (the last one padded with zero columns). */
    public int strips() {
        return (columns + stripWidth - 1) / stripWidth;
    }
}
