package dev.seq2seq.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.Tape;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The recycled arrays of the recurrences: handed out by best fit within the pool's bounds, and,
 * the point of it all, never read before they are written: a layer whose arrays come back full
 * of NaN gives the bits it gives from fresh zeros.
 */
class RecurrenceBuffersTest {
    private static final int STEPS = 5;
    private static final int BATCH = 20; // more than one row group where there are two cores
    private static final int INPUTS = 3;
    private static final int UNITS = 6;

    @AfterEach
    void empty() {
        RecurrenceBuffers.clear();
    }

    @Test
    void theShortestHeldArrayThatIsLongEnoughComesBack() {
        RecurrenceBuffers.clear();
        float[] small = new float[10];
        float[] middle = new float[20];
        float[] large = new float[40];
        RecurrenceBuffers.give(large, small, middle);
        assertSame(middle, RecurrenceBuffers.take(15));
        assertSame(large, RecurrenceBuffers.take(15));
        assertEquals(30, RecurrenceBuffers.take(30).length, "none long enough: a new array");
        assertSame(small, RecurrenceBuffers.take(10));
        assertEquals(0, RecurrenceBuffers.held());
    }

    @Test
    void tooLongArraysAreNotHeldAndAFullPoolKeepsTheLongest() {
        RecurrenceBuffers.clear();
        RecurrenceBuffers.give(new float[RecurrenceBuffers.MAX_FLOATS + 1]);
        assertEquals(0, RecurrenceBuffers.held(), "longer than the bound");
        for (int i = 1; i <= RecurrenceBuffers.MAX_ARRAYS; i++) {
            RecurrenceBuffers.give(new float[100 * i]);
        }
        float[] shortest = new float[50];
        RecurrenceBuffers.give(shortest);
        assertEquals(RecurrenceBuffers.MAX_ARRAYS, RecurrenceBuffers.held());
        assertNotSame(shortest, RecurrenceBuffers.take(50), "full, and every held array is longer: not kept");
        RecurrenceBuffers.give(new float[100], new float[10_000]);
        assertEquals(RecurrenceBuffers.MAX_ARRAYS, RecurrenceBuffers.held());
        assertEquals(10_000, RecurrenceBuffers.take(5_000).length, "the longer one made room");
    }

    @Test
    void anLstmGivesTheSameBitsFromArraysFullOfNaN() {
        LSTM lstm = new LSTM("lstm", INPUTS, UNITS, 41);
        sameBitsFromPoisonedArrays(x -> lstm.forward(x, lengths(), null).outputs(), lstm.recurrentKernel());
        // token inputs: the projection itself comes from the pool
        sameBitsFromPoisonedArrays(x -> lstm.forwardTokens(tokens(), STEPS, lengths(), null).outputs(),
                lstm.kernel());
    }

    @Test
    void aGruGivesTheSameBitsFromArraysFullOfNaN() {
        GRU gru = new GRU("gru", INPUTS, UNITS, 42);
        sameBitsFromPoisonedArrays(x -> gru.forward(x, lengths(), null).outputs(), gru.recurrentKernel());
        sameBitsFromPoisonedArrays(x -> gru.forwardTokens(tokens(), STEPS, lengths(), null).outputs(), gru.kernel());
    }

    /** [T, B] token ids below INPUTS, repeated within a step so that rows add into one row of W. */
    private static int[] tokens() {
        int[] tokens = new int[STEPS * BATCH];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 7 + i / BATCH) % INPUTS;
        }
        return tokens;
    }

    /**
     * Padded rows in every group: among real rows, and from step 2 on a run of them at each end of
     * the batch, which the steps skip (only the rows from the first real one to the last are
     * computed), so their arrays' rows are never written there.
     */
    private static int[] lengths() {
        int[] lengths = new int[BATCH];
        for (int b = 0; b < BATCH; b++) {
            lengths[b] = b < 4 || b >= BATCH - 3 ? 1 + b % 2 : STEPS - b % 3;
        }
        return lengths;
    }

    /**
     * Outputs and the gradients of the input and of a weight (U, or W for token inputs), from fresh
     * arrays and then from arrays of NaN.
     */
    private static void sameBitsFromPoisonedArrays(Function<Tensor, Tensor> forward, Tensor weight) {
        RecurrenceBuffers.clear();
        float[][] fresh = run(forward, weight);
        fillWithNaN((STEPS + 2) * BATCH * 3 * UNITS);
        for (int pass = 0; pass < 2; pass++) { // the second pass: the arrays the first gave back
            float[][] recycled = run(forward, weight);
            assertArrayEquals(fresh[0], recycled[0], "outputs");
            assertArrayEquals(fresh[1], recycled[1], "gradient of the inputs");
            assertArrayEquals(fresh[2], recycled[2], "gradient of " + weight.name());
        }
    }

    /**
     * Empties the pool, then fills it with arrays of NaN of {@code floats} floats and more (one
     * longer than the other), so that a recurrence that reads an element before writing it shows.
     */
    static void fillWithNaN(int floats) {
        RecurrenceBuffers.clear();
        for (int i = 0; i < RecurrenceBuffers.MAX_ARRAYS; i++) {
            float[] poisoned = new float[floats + i];
            Arrays.fill(poisoned, Float.NaN);
            RecurrenceBuffers.give(poisoned);
        }
    }

    private static float[][] run(Function<Tensor, Tensor> forward, Tensor weight) {
        Tensor x = Tensor.uniform(43, -1, 1, STEPS, BATCH, INPUTS).requireGrad();
        weight.zeroGrad();
        Tape tape = new Tape();
        Tensor outputs;
        try (Tape.Scope ignored = tape.activate()) {
            outputs = forward.apply(x);
            tape.backward(MatrixOps.sum(MatrixOps.mul(outputs, outputs)));
        }
        return new float[][] {outputs.toArray(), x.grad().toArray(), weight.grad().toArray()};
    }
}
