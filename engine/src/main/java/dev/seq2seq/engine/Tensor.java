package dev.seq2seq.engine;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A float32 tensor: row-major, contiguous, with a shape.
 *
 * <p>The values live in {@code data[offset .. offset + size)}. Views ({@link #view}, {@link #rows})
 * share that array, and they share the gradient too: a tensor's gradient is stored in a second
 * array, {@code gradData}, that belongs to the tensor that owns {@code data} and uses the same
 * offsets. So a view is differentiable for free: whatever is accumulated into a view's gradient
 * lands in the right place of its owner's gradient, with no tape entry.
 *
 * <p>The gradient array is allocated on first use, by backward or by {@link #grad()}.
 */
public final class Tensor {
    private final float[] data;
    private final int offset;
    private final int[] shape;
    private final int size;
    /** The tensor whose arrays this one views (itself for an owner). */
    private final Tensor owner;
    private float[] gradData;
    private boolean requiresGrad;
    private String name;

    private Tensor(float[] data, int offset, int[] shape, Tensor owner) {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.size = Shapes.size(shape);
        this.owner = owner == null ? this : owner;
    }

    // ---------------------------------------------------------------- creation

    /** A new tensor of zeros. */
    public static Tensor zeros(int... shape) {
        Shapes.checkValid("zeros", shape);
        return new Tensor(new float[Shapes.size(shape)], 0, shape.clone(), null);
    }

    /** A tensor over a copy of {@code values}, which must hold exactly the shape's element count. */
    public static Tensor of(float[] values, int... shape) {
        Shapes.checkValid("of", shape);
        if (values.length != Shapes.size(shape)) {
            throw new IllegalArgumentException("Tensor.of: " + values.length + " values do not fill shape "
                    + Shapes.str(shape) + " (" + Shapes.size(shape) + " elements)");
        }
        return new Tensor(values.clone(), 0, shape.clone(), null);
    }

    /** A scalar, shape [1]. */
    public static Tensor scalar(float value) {
        return of(new float[] {value}, 1);
    }

    /** Uniform in [low, high), from a seeded generator: the same seed gives the same tensor. */
    public static Tensor uniform(long seed, float low, float high, int... shape) {
        Tensor t = zeros(shape);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < t.size; i++) {
            t.data[i] = low + (high - low) * (float) random.nextDouble();
        }
        return t;
    }

    /** Normal with the given mean and standard deviation (Box-Muller), from a seeded generator. */
    public static Tensor normal(long seed, float mean, float std, int... shape) {
        Tensor t = zeros(shape);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < t.size; i += 2) {
            double u1 = 1.0 - random.nextDouble(); // (0, 1]: log(u1) is finite
            double u2 = random.nextDouble();
            double radius = Math.sqrt(-2.0 * Math.log(u1));
            t.data[i] = (float) (mean + std * radius * Math.cos(2 * Math.PI * u2));
            if (i + 1 < t.size) {
                t.data[i + 1] = (float) (mean + std * radius * Math.sin(2 * Math.PI * u2));
            }
        }
        return t;
    }

    // ---------------------------------------------------------------- shape

    public int[] shape() {
        return shape.clone();
    }

    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return size;
    }

    /** The same values under another shape with the same element count; no copy. */
    public Tensor view(int... newShape) {
        Shapes.checkValid("view", newShape);
        if (Shapes.size(newShape) != size) {
            throw new IllegalArgumentException("view: cannot view " + describe() + " as " + Shapes.str(newShape)
                    + " (" + size + " vs " + Shapes.size(newShape) + " elements)");
        }
        return new Tensor(data, offset, newShape.clone(), owner);
    }

    /** Rows {@code [from, to)} along the first axis; no copy. */
    public Tensor rows(int from, int to) {
        if (from < 0 || to > shape[0] || from > to) {
            throw new IndexOutOfBoundsException("rows: [" + from + ", " + to + ") is outside the first axis of "
                    + describe());
        }
        int[] sliced = shape.clone();
        sliced[0] = to - from;
        int stride = size / shape[0];
        return new Tensor(data, offset + from * stride, sliced, owner);
    }

    /** Row {@code index} along the first axis, with that axis dropped (a vector for a matrix); no copy. */
    public Tensor row(int index) {
        Tensor one = rows(index, index + 1);
        return shape.length == 1 ? one : one.view(Arrays.copyOfRange(shape, 1, shape.length));
    }

    // ---------------------------------------------------------------- storage

    /** The backing array; the values are {@code data()[offset() .. offset() + size())}. */
    public float[] data() {
        return data;
    }

    public int offset() {
        return offset;
    }

    public float get(int... index) {
        return data[offset + Shapes.flatIndex(shape, index)];
    }

    public void set(float value, int... index) {
        data[offset + Shapes.flatIndex(shape, index)] = value;
    }

    /** The element at flat (row-major) position {@code i}. */
    public float at(int i) {
        Shapes.checkFlat(this, i);
        return data[offset + i];
    }

    public void setAt(int i, float value) {
        Shapes.checkFlat(this, i);
        data[offset + i] = value;
    }

    /** The flat position of the first NaN or infinite value, or -1 when all are finite numbers. */
    public int firstNonFinite() {
        for (int i = 0; i < size; i++) {
            if (!Float.isFinite(data[offset + i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The column in [from, to) of the largest value of row {@code row}, for a [rows, columns]
     * tensor (the first such column on ties; NaN never wins).
     */
    public int argmaxInRow(int row, int from, int to) {
        int columns = shape[shape.length - 1];
        if (from < 0 || from >= to || to > columns) {
            throw new IndexOutOfBoundsException("argmaxInRow: columns [" + from + ", " + to + ") of " + describe());
        }
        Shapes.checkFlat(this, row * columns + to - 1);
        int start = offset + row * columns;
        int best = from;
        for (int j = from + 1; j < to; j++) {
            if (data[start + j] > data[start + best]) {
                best = j;
            }
        }
        return best;
    }

    /** A fresh copy of the values. */
    public float[] toArray() {
        return Arrays.copyOfRange(data, offset, offset + size);
    }

    /** A copy that owns its own storage (and has no gradient). */
    public Tensor copy() {
        return new Tensor(toArray(), 0, shape.clone(), null);
    }

    /** Overwrites the values with those of {@code source}, which must have the same shape. */
    public void copyFrom(Tensor source) {
        Shapes.checkSame("copyFrom", this, source);
        System.arraycopy(source.data, source.offset, data, offset, size);
    }

    public void fill(float value) {
        Arrays.fill(data, offset, offset + size, value);
    }

    // ---------------------------------------------------------------- gradient

    public boolean requiresGrad() {
        return owner.requiresGrad;
    }

    /** Marks this tensor (an owner: a parameter or an input) as one whose gradient is wanted. */
    public Tensor requireGrad() {
        if (owner != this) {
            throw new IllegalStateException("requireGrad: " + describe() + " is a view; mark its owner instead");
        }
        this.requiresGrad = true;
        return this;
    }

    /** Whether a gradient array exists for this tensor's storage. */
    public boolean hasGrad() {
        return owner.gradData != null;
    }

    /** The gradient array (allocated on first use), indexed like {@link #data()}. */
    public float[] gradData() {
        if (owner.gradData == null) {
            owner.gradData = new float[owner.data.length];
        }
        return owner.gradData;
    }

    /**
     * Makes {@code gradient} this tensor's gradient array, instead of an array of zeros allocated
     * and then written: for an op whose backward computes the whole gradient of an intermediate
     * in storage of its own (an LSTM's gate gradients, over the activations it kept). Only for a
     * tensor that spans its whole array (an owner, or a view of all of it: the gradient array is
     * the owner's), with no gradient yet, and an array as long as its data.
     */
    public void adoptGradient(float[] gradient) {
        if (offset != 0 || size != data.length) {
            throw new IllegalStateException("adoptGradient: " + describe() + " is a view of part of its array");
        }
        if (owner.gradData != null) {
            throw new IllegalStateException("adoptGradient: " + describe() + " has a gradient already");
        }
        if (gradient.length != data.length) {
            throw new IllegalArgumentException("adoptGradient: " + gradient.length + " values for "
                    + describe() + ", which holds " + data.length);
        }
        owner.gradData = gradient;
    }

    /** The gradient as a tensor of this tensor's shape (a view of the gradient array). */
    public Tensor grad() {
        return new Tensor(gradData(), offset, shape.clone(), null);
    }

    /** Sets this tensor's gradient to zero (keeps the array). */
    public void zeroGrad() {
        if (owner.gradData != null) {
            Arrays.fill(owner.gradData, offset, offset + size, 0f);
        }
    }

    // ---------------------------------------------------------------- naming

    /** A name used in error messages and checkpoints. */
    public Tensor named(String newName) {
        this.name = newName;
        return this;
    }

    public String name() {
        return name;
    }

    /** "name [2, 3]" or "tensor [2, 3]": how error messages refer to a tensor. */
    public String describe() {
        return (name == null ? "tensor" : name) + " " + Shapes.str(shape);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(describe()).append(' ');
        int shown = Math.min(size, 8);
        text.append('[');
        for (int i = 0; i < shown; i++) {
            text.append(i == 0 ? "" : ", ").append(data[offset + i]);
        }
        return text.append(size > shown ? ", ...]" : "]").toString();
    }
}
