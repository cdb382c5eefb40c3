package dev.seq2seq.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A recurrence that no backward follows keeps one step of its gates and two of its state instead
 * of all of them (validation, evaluation): it must give the bits of a forward that keeps them all
 * for a backward, from arrays recycled full of NaN, with padded rows, with an initial state, and
 * with a batch the cores share.
 */
class ForwardWithoutBackwardTest {
    private static final int STEPS = 7;
    private static final int BATCH = 40; // two row groups where there are two cores
    private static final int INPUTS = 5;
    private static final int UNITS = 9;

    @AfterEach
    void empty() {
        RecurrenceBuffers.clear();
    }

    @Test
    void anLstmGivesTheBitsOfAForwardKeptForBackward() {
        LSTM lstm = new LSTM("lstm", INPUTS, UNITS, 51);
        LSTMState initial = new LSTMState(Tensor.uniform(52, -1, 1, BATCH, UNITS),
                Tensor.uniform(53, -1, 1, BATCH, UNITS));
        Tensor x = Tensor.uniform(54, -1, 1, STEPS, BATCH, INPUTS);
        sameBits(() -> {
            SequenceResult<LSTMState> r = lstm.forward(x, lengths(), initial);
            return new Tensor[] {r.outputs(), r.state().h(), r.state().c()};
        });
        sameBits(() -> {
            SequenceResult<LSTMState> r = lstm.forwardTokens(tokens(), STEPS, lengths(), null);
            return new Tensor[] {r.outputs(), r.state().h(), r.state().c()};
        });
    }

    @Test
    void aGruGivesTheBitsOfAForwardKeptForBackward() {
        GRU gru = new GRU("gru", INPUTS, UNITS, 55);
        GRUState initial = new GRUState(Tensor.uniform(56, -1, 1, BATCH, UNITS));
        Tensor x = Tensor.uniform(57, -1, 1, STEPS, BATCH, INPUTS);
        sameBits(() -> {
            SequenceResult<GRUState> r = gru.forward(x, lengths(), initial);
            return new Tensor[] {r.outputs(), r.state().h()};
        });
        sameBits(() -> {
            SequenceResult<GRUState> r = gru.forwardTokens(tokens(), STEPS, lengths(), null);
            return new Tensor[] {r.outputs(), r.state().h()};
        });
    }

    /** [T, B] token ids below INPUTS. */
    private static int[] tokens() {
        int[] tokens = new int[STEPS * BATCH];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 3 + i / BATCH) % INPUTS;
        }
        return tokens;
    }

    /** From 1 to STEPS: rows that end early, in both row groups. */
    private static int[] lengths() {
        int[] lengths = new int[BATCH];
        for (int b = 0; b < BATCH; b++) {
            lengths[b] = STEPS - b % STEPS;
        }
        return lengths;
    }

    private static void sameBits(Supplier<Tensor[]> forward) {
        RecurrenceBuffers.clear();
        float[][] kept;
        try (Tape.Scope ignored = new Tape().activate()) {
            kept = values(forward.get());
        }
        for (int pass = 0; pass < 2; pass++) { // the second pass: the arrays the first gave back
            RecurrenceBuffersTest.fillWithNaN((STEPS + 2) * BATCH * 4 * UNITS);
            float[][] oneStep = values(forward.get());
            assertArrayEquals(kept[0], oneStep[0], "outputs");
            for (int s = 1; s < kept.length; s++) {
                assertArrayEquals(kept[s], oneStep[s], "final state " + s);
            }
        }
    }

    private static float[][] values(Tensor[] tensors) {
        float[][] values = new float[tensors.length][];
        for (int i = 0; i < tensors.length; i++) {
            values[i] = tensors[i].toArray();
        }
        return values;
    }
}
