package dev.seq2seq.engine.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link StackedProducts}: the gradients of a declared leaf's products, stacked and summed at the
 * end of the pass, against the same products' gradients made one after another, bit for bit.
 */
class StackedProductsTest {
    /**
     * A chain of steps h_{t+1} = tanh(h_t W + x_t V), as a decoder runs them, with a loss reading
     * every h; returns dW, dV and the gradient of the first state, with or without declaring W
     * and V leaves; {@code profile} (may be null) times the tape.
     */
    private static List<float[]> chain(Tensor w, Tensor v, int steps, int rows, boolean declared, OpProfile profile) {
        w.zeroGrad();
        v.zeroGrad();
        Tensor h0 = Tensor.uniform(5, -1, 1, rows, w.dim(0)).requireGrad();
        Tape tape = new Tape();
        tape.profile(profile);
        if (declared) {
            tape.stackProductGradientsOf(List.of(w, v));
        }
        try (Tape.Scope ignored = tape.activate()) {
            Tensor h = h0;
            Tensor loss = null;
            for (int t = 0; t < steps; t++) {
                Tensor x = Tensor.uniform(100 + t, -1, 1, rows, v.dim(0));
                h = ActivationOps.tanh(MatrixOps.add(MatrixOps.matmul(h, w), MatrixOps.matmul(x, v)));
                Tensor term = MatrixOps.sum(MatrixOps.mul(h, Tensor.uniform(200 + t, -1, 1, h.shape())));
                loss = loss == null ? term : MatrixOps.add(loss, term);
            }
            tape.backward(loss);
        }
        return List.of(w.grad().toArray(), v.grad().toArray(), h0.grad().toArray());
    }

    @Test
    void aLeafsStepGradientsSummedAtTheEndAreTheSameBits() {
        // 2,048 and 1,064 floats a row: with 64 rows a step, W is summed every 8 steps during the
        // pass and V every 15, then both at its end
        Tensor w = Tensor.uniform(1, -0.05f, 0.05f, 1024, 1024).requireGrad();
        Tensor v = Tensor.uniform(2, -0.1f, 0.1f, 40, 1024).requireGrad();
        for (int steps : new int[] {1, 3, 20}) {
            List<float[]> direct = chain(w, v, steps, 64, false, null);
            AtomicLong clock = new AtomicLong();
            OpProfile profile = new OpProfile(clock::incrementAndGet);
            List<float[]> stacked = chain(w, v, steps, 64, true, profile);
            assertTrue(profile.seconds(StackedProducts.NAME) > 0, steps + " steps: the products were stacked");
            String[] names = {"dW", "dV", "dh0"};
            for (int i = 0; i < names.length; i++) {
                assertArrayEquals(direct.get(i), stacked.get(i), steps + " steps of 64 rows: " + names[i]);
            }
        }
    }

    @Test
    void productsOfManyRowsAndUndeclaredMatricesRunAtOnce() {
        Tensor w = Tensor.uniform(1, -0.05f, 0.05f, 32, 32).requireGrad();
        Tensor v = Tensor.uniform(2, -0.1f, 0.1f, 8, 32).requireGrad();
        AtomicLong clock = new AtomicLong();
        OpProfile profile = new OpProfile(clock::incrementAndGet);
        List<float[]> many = chain(w, v, 2, StackedProducts.MAX_ROWS + 1, true, profile);
        assertEquals(0, profile.seconds(StackedProducts.NAME), "products of more rows than a step's are not stacked");
        assertEquals(many.get(0).length, w.size());
        profile = new OpProfile(clock::incrementAndGet);
        chain(w, v, 2, 16, false, profile);
        assertEquals(0, profile.seconds(StackedProducts.NAME), "without declared leaves nothing is stacked");
    }
}
