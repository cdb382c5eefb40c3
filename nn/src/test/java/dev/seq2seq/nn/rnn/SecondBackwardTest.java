package dev.seq2seq.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.Tape;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A recurrence's backward writes its gate gradients over the activations its forward kept, so a
 * second backward through the same forward would read gradients as activations: it is refused,
 * with a message that says what to do, instead of giving wrong gradients.
 */
class SecondBackwardTest {
    private static final int STEPS = 4;
    private static final int BATCH = 3;
    private static final int INPUTS = 3;

    @Test
    void lstm() {
        LSTM lstm = new LSTM("lstm", INPUTS, 5, 31);
        refusesASecondBackward("LSTM", x -> lstm.forward(x, new int[] {4, 2, 3}, null).outputs());
    }

    @Test
    void gru() {
        GRU gru = new GRU("gru", INPUTS, 5, 32);
        refusesASecondBackward("GRU", x -> gru.forward(x, new int[] {4, 2, 3}, null).outputs());
    }

    private static void refusesASecondBackward(String layer, Function<Tensor, Tensor> forward) {
        Tensor x = Tensor.uniform(33, -1, 1, STEPS, BATCH, INPUTS).requireGrad();
        Tape tape = new Tape();
        try (Tape.Scope ignored = tape.activate()) {
            Tensor loss = MatrixOps.sum(forward.apply(x));
            tape.backward(loss);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.backward(loss));
            String message = e.getMessage();
            assertTrue(message.contains(layer + ": a second backward") && message.contains("run the forward again"),
                    message);
        }
    }
}
