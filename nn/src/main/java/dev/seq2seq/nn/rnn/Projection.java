package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.engine.kernels.ParallelKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fused recurrence's input projection xw [T, B, G*H] = x W + b, and where its gradient goes. The
 * recurrence turns the projection's array into its gate activations in place, its backward turns
 * those into the gate gradients dxw in place, and this class hands dxw on: one array serves as
 * the projection, the activations and the gradients (15 MB for the seed's decoder with Keras
 * padding), and for token inputs it is recycled, so that none of that size is made and zeroed by
 * the JVM on one core in a training step. A forward that no backward follows copies each step's
 * rows into one step's storage instead ({@link #copyRows}).
 *
 * <ul>
 *   <li>{@link #of}: a projection computed by ordinary ops (x W + b for dense inputs); its array
 *       is taken over, and becomes its gradient array.</li>
 *   <li>{@link #ofTokens}: token inputs. A one-hot row times W is W's row for the token, so xw
 *       is W's rows looked up, plus b, written into an array recycled from earlier steps
 *       ({@link RecurrenceBuffers}), a step's rows at a time ({@link #fill}); backward adds each
 *       row of dxw to its token's row of dW and sums them into db, then gives the array back.</li>
 * </ul>
 *
 * <p>The recurrence calls {@link #fill} for the rows of each step just before it reads them, on
 * the core that reads them: looked up there, a step's rows are in that core's cache when its
 * product adds h U to them, instead of coming back from memory after a lookup of all the steps
 * on both cores by flat rows (half of them by the other core).
 */
abstract sealed class Projection {
    /** Whether a backward has turned the activations into gradients. */
    private boolean spent;

    /**
     * The array the recurrence turns into its gate activations, [T * B, G*H] from 0 (it may be
     * longer); a row holds the projection once {@link #fill} has been called for it.
     */
    abstract float[] activations();

    /**
     * Writes rows [row, row + count) of {@link #activations()} (the rows of one step, or of some
     * of its batch rows), if they are not written already: called once for each row the
     * recurrence computes, before it reads it. A padded row outside the rows a step computes (see
     * {@link RowGroups}) is never written nor read: backward writes its gradient, zeros, in its place.
     */
    abstract void fill(Kernels k, int row, int count);

    /**
     * Writes rows [row, row + count) of the projection into {@code into} from {@code intoOff}, for
     * a forward that no backward follows: it keeps one step's gates, not all of them, and never
     * asks for {@link #activations()}.
     */
    abstract void copyRows(Kernels k, int row, int count, float[] into, int intoOff);

    /**
     * Rows [row, row + count) of the projection where a step's cell reads them: written in place
     * ({@link #fill}) when the op keeps every step's activations in the projection's own array,
     * else copied into {@code into} from {@code intoOff} ({@link #copyRows}).
     */
    void stepRows(Kernels k, int row, int count, boolean inPlace, float[] into, int intoOff) {
        if (inPlace) {
            fill(k, row, count);
        } else {
            copyRows(k, row, count, into, intoOff);
        }
    }

    /** The tensors the projection is computed from, which the recurrence's op depends on. */
    abstract Tensor[] inputs();

    /** {@link #inputs()}, then {@code others}: the inputs of a recurrence's op. */
    final Tensor[] inputsWith(Tensor... others) {
        Tensor[] own = inputs();
        Tensor[] all = Arrays.copyOf(own, own.length + others.length);
        System.arraycopy(others, 0, all, own.length, others.length);
        return all;
    }

    /**
     * Called by the recurrence as its backward starts: a second backward through the same forward
     * would read the gradients the first wrote over the activations, so it is refused.
     */
    final void startBackward(String op) {
        if (spent) {
            throw new IllegalStateException(op + ": a second backward through one forward, whose gate activations"
                    + " the first turned into gradients; run the forward again");
        }
        spent = true;
    }

    /**
     * What hands on dxw [rows, width], written over {@link #activations()}: pieces of work, each
     * writing a gradient of its own, which may run on different threads, in any order (none when
     * nothing needs a gradient).
     */
    abstract List<Runnable> backwardPieces(ParallelKernels k, float[] gradient, int rows, int width);

    /** The recurrence is done with the activations' array (after its backward, or a forward without one). */
    abstract void release();

    /**
     * A projection computed by ordinary ops: this layer's own intermediate, read by nothing else,
     * whose op's backward never reads its values. When it is a whole array of its own, that array
     * becomes the activations and then its gradient; else the recurrence works on a copy.
     */
    static Projection of(Tensor projection) {
        return new Computed(projection);
    }

    /**
     * The projection of token ids through a table W [V, G*H] plus a bias b [G*H]: checked here,
     * looked up by {@link #fill}.
     */
    static Projection ofTokens(String layer, int[] tokens, Tensor table, Tensor bias) {
        int vocabulary = table.dim(0);
        for (int r = 0; r < tokens.length; r++) {
            if (tokens[r] < 0 || tokens[r] >= vocabulary) {
                throw new IndexOutOfBoundsException(layer + ": token " + tokens[r] + " at position " + r
                        + " is outside the rows of " + table.describe());
            }
        }
        return new Tokens(tokens.clone(), table, bias);
    }

    private static final class Computed extends Projection {
        private final Tensor projection;

        Computed(Tensor projection) {
            this.projection = projection;
        }

        @Override
        float[] activations() {
            boolean wholeArray = projection.offset() == 0 && projection.size() == projection.data().length;
            return wholeArray ? projection.data() : projection.toArray();
        }

        /** Computed before the recurrence: every row is written already. */
        @Override
        void fill(Kernels k, int row, int count) {
        }

        @Override
        void copyRows(Kernels k, int row, int count, float[] into, int intoOff) {
            int width = projection.dim(projection.rank() - 1);
            System.arraycopy(projection.data(), projection.offset() + row * width, into, intoOff, count * width);
        }

        @Override
        Tensor[] inputs() {
            return new Tensor[] {projection};
        }

        /**
         * As the projection's gradient array itself when that array is the projection's own storage
         * and it has no gradient yet (nothing allocated, nothing added), else added to its gradient.
         */
        @Override
        List<Runnable> backwardPieces(ParallelKernels k, float[] gradient, int rows, int width) {
            if (!projection.requiresGrad()) {
                return List.of();
            }
            if (gradient == projection.data() && !projection.hasGrad()) {
                projection.adoptGradient(gradient); // nothing left to do
                return List.of();
            }
            float[] projectionGradient = projection.gradData(); // made here, before a piece writes into it
            return List.of(() -> k.axpy(1f, gradient, 0, projectionGradient, projection.offset(), rows * width));
        }

        @Override
        void release() {
            // the array is the projection's (and then its gradient's): nothing to give back
        }
    }

    private static final class Tokens extends Projection {
        private final int[] tokens;
        private final Tensor table;
        private final Tensor bias;
        private float[] activations;

        Tokens(int[] tokens, Tensor table, Tensor bias) {
            this.tokens = tokens;
            this.table = table;
            this.bias = bias;
        }

        /**
         * A recycled array: {@link #fill} writes every element of a row before it is read, and backward
         * writes every row's gradient over it, so it needs no zeros.
         */
        @Override
        float[] activations() {
            activations = RecurrenceBuffers.take(tokens.length * table.dim(1));
            return activations;
        }

        @Override
        void fill(Kernels k, int row, int count) {
            copyRows(k, row, count, activations, row * table.dim(1));
        }

        /** xw[r] = W[token r] + b. */
        @Override
        void copyRows(Kernels k, int row, int count, float[] into, int intoOff) {
            k.gatherRowsPlus(table.data(), table.offset(), table.dim(1), tokens, row, count, bias.data(),
                    bias.offset(), into, intoOff);
        }

        @Override
        Tensor[] inputs() {
            return new Tensor[] {table, bias};
        }

        /**
         * dW[token r] += dxw[r] (rows in order: a token may repeat) and db += the sum of dxw's rows:
         * two pieces, each a pass over dxw that one core takes about as long to make (for the seed's
         * decoder, 3,776 rows of 1,024, 0.5-0.7 ms each), so that two threads make them at once.
         * The arrays are made here, before any thread writes into them.
         */
        @Override
        List<Runnable> backwardPieces(ParallelKernels k, float[] gradient, int rows, int width) {
            List<Runnable> pieces = new ArrayList<>(2);
            if (table.requiresGrad()) {
                float[] tableGradient = table.gradData();
                pieces.add(() -> k.scatterAddRows(gradient, 0, width, tokens, 0, rows, tableGradient, table.offset()));
            }
            if (bias.requiresGrad()) {
                float[] biasGradient = bias.gradData();
                pieces.add(() -> k.sumRows(gradient, 0, biasGradient, bias.offset(), rows, width, true));
            }
            return pieces;
        }

        @Override
        void release() {
            if (activations != null) {
                RecurrenceBuffers.give(activations);
                activations = null;
            }
        }
    }
}
