package dev.seq2seq.engine;

import java.util.Arrays;

/** Shape arithmetic and the checks that turn a shape mistake into a message naming the op. */
public final class Shapes {
    private Shapes() {
    }

    public static int size(int[] shape) {
        long product = 1;
        for (int d : shape) {
            product *= d;
        }
        return (int) product;
    }

    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    static void checkValid(String op, int[] shape) {
        if (shape.length == 0) {
            throw new IllegalArgumentException(op + ": a shape needs at least one dimension");
        }
        long product = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(op + ": negative dimension in shape " + str(shape));
            }
            product *= d;
            if (product > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(op + ": shape " + str(shape) + " has more than 2^31 elements");
            }
        }
    }

    static int flatIndex(int[] shape, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has " + index.length
                    + " coordinates for shape " + str(shape));
        }
        int flat = 0;
        for (int axis = 0; axis < shape.length; axis++) {
            if (index[axis] < 0 || index[axis] >= shape[axis]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " is outside shape "
                        + str(shape));
            }
            flat = flat * shape[axis] + index[axis];
        }
        return flat;
    }

    static void checkFlat(Tensor t, int i) {
        if (i < 0 || i >= t.size()) {
            throw new IndexOutOfBoundsException("flat index " + i + " is outside " + t.describe());
        }
    }

    /** Both tensors must have the same shape. */
    public static void checkSame(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": shapes differ: " + a.describe() + " vs " + b.describe());
        }
    }

    /** The tensor must be a matrix (rank 2). */
    public static void checkMatrix(String op, Tensor a) {
        if (a.rank() != 2) {
            throw new IllegalArgumentException(op + ": expected a matrix [rows, columns], got " + a.describe());
        }
    }

    /** The tensor must have exactly this shape. */
    public static void checkShape(String op, Tensor a, int... expected) {
        if (!Arrays.equals(a.shape(), expected)) {
            throw new IllegalArgumentException(op + ": expected " + str(expected) + ", got " + a.describe());
        }
    }
}
