package dev.seq2seq.engine.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.PackedMatrix;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

class TapeTest {

    /**
     * A weight used at three steps, as a decoder's is: its transposed copy, plain and packed, is
     * made once per pass and shared; after the weight changes (an optimiser step), the next pass
     * uses the new values, in the same arrays.
     */
    @Test
    void aBackwardPassSharesOneTransposeOfAWeightAndTheNextPassRefreshesIt() {
        assertNull(Tape.transposedInBackward(Tensor.zeros(3, 4)), "no backward pass, no shared copy");
        Tensor w = Tensor.uniform(1, -1, 1, 37, 19).requireGrad();
        Tensor[] inputs = {Tensor.uniform(2, -1, 1, 5, 37).requireGrad(), Tensor.uniform(3, -1, 1, 5, 37).requireGrad(),
                Tensor.uniform(4, -1, 1, 5, 37).requireGrad()};
        Tensor weights = Tensor.uniform(5, -1, 1, 5, 19);
        Tape tape = new Tape();
        float[][] seen = new float[2][];
        PackedMatrix[] seenPacked = new PackedMatrix[2];
        for (int pass = 0; pass < 2; pass++) {
            for (Tensor input : inputs) {
                input.zeroGrad();
            }
            tape.clear();
            int index = pass;
            try (Tape.Scope ignored = tape.activate()) {
                Tensor total = null;
                for (Tensor input : inputs) {
                    Tensor step = MatrixOps.mul(MatrixOps.matmul(input, w), weights);
                    total = total == null ? step : MatrixOps.add(total, step);
                }
                Tensor probe = MatrixOps.scale(w, 1f);
                Tape.record("probe", probe, () -> {
                    seen[index] = Tape.transposedInBackward(w);
                    seenPacked[index] = Tape.packedTransposedInBackward(w);
                }, w);
                tape.backward(MatrixOps.add(MatrixOps.sum(total), MatrixOps.sum(MatrixOps.scale(probe, 0f))));
            }
            float[] expected = new float[19 * 37];
            dev.seq2seq.engine.kernels.Transpose.blocked(w.data(), 0, 19, 37, 19, expected, 0);
            assertArrayEquals(expected, seen[pass], "the copy holds this pass's w^T");
            // the packed copy multiplies as w^T itself does, to the bit (the product the inputs' gradients use)
            float[] byPacked = new float[5 * 37];
            float[] byPlain = new float[5 * 37];
            Backend.kernels().matmulPacked(weights.data(), 0, 19, seenPacked[pass], byPacked, 0, 37, 5, false);
            Backend.kernels().matmul(weights.data(), 0, expected, 0, byPlain, 0, 5, 19, 37, false);
            assertArrayEquals(byPlain, byPacked, "the packed copy holds this pass's w^T");
            for (Tensor input : inputs) {
                // dInput = weights . w^T, elementwise weights being d(sum)/d(product)
                float[] reference = new float[5 * 37];
                Backend.kernels().matmulTransB(weights.data(), 0, w.data(), 0, reference, 0,
                        5, 19, 37, false);
                assertArrayEquals(reference, input.grad().toArray(), 1e-5f);
            }
            w.data()[0] += 0.5f; // as an optimiser step would
        }
        assertTrue(seen[0] == seen[1], "the weight's copy is refreshed in place, not made again");
        assertTrue(seenPacked[0].data() == seenPacked[1].data(), "so is its packed copy");
        assertNull(Tape.packedTransposedInBackward(w), "no backward pass, no shared packed copy");
    }

    @Test
    void theForwardPassesPackedCopyIsSharedWithinAPassAndRefreshedAfterIt() {
        Tensor w = Tensor.uniform(11, -1, 1, 19, 37).requireGrad();
        Tensor x = Tensor.uniform(12, -1, 1, 5, 19);
        assertNull(Tape.packedInForward(w), "no tape records, no shared packed copy");
        Tape tape = new Tape();
        PackedMatrix[] seen = new PackedMatrix[3];
        try (Tape.Scope ignored = tape.activate()) {
            for (int pass = 0; pass < 3; pass++) {
                seen[pass] = Tape.packedInForward(w);
                assertTrue(seen[pass] == Tape.packedInForward(w), "one copy for every op of the pass");
                // it multiplies as w itself does, to the bit, with this pass's values
                float[] byPacked = new float[5 * 37];
                float[] byPlain = new float[5 * 37];
                Backend.kernels().matmulPacked(x.data(), 0, 19, seen[pass], byPacked, 0, 37, 5, false);
                Backend.kernels().matmul(x.data(), 0, w.data(), 0, byPlain, 0, 5, 19, 37, false);
                assertArrayEquals(byPlain, byPacked, "the packed copy holds this pass's w, pass " + pass);
                if (pass == 0) {
                    tape.backward(MatrixOps.sum(MatrixOps.scale(w, 1f))); // a backward pass ends the forward one
                } else {
                    tape.clear(); // so does a clear
                }
                w.data()[0] += 0.5f; // as an optimiser step would
                w.data()[19 * 37 - 1] -= 0.25f;
            }
        }
        assertTrue(seen[0].data() == seen[2].data(), "the weight's packed copy is refreshed in place");
    }

    @Test
    void backwardOfAKnownFunction() {
        // L = sum(x * x * 3) -> dL/dx = 6x
        Tensor x = Tensor.of(new float[] {1f, -2f, 0.5f}, 3).requireGrad();
        Tape tape = new Tape();
        try (Tape.Scope ignored = tape.activate()) {
            Tensor loss = MatrixOps.sum(MatrixOps.scale(MatrixOps.mul(x, x), 3f));
            assertEquals(3 * (1 + 4 + 0.25f), loss.at(0), 1e-6);
            tape.backward(loss);
        }
        assertArrayEquals(new float[] {6f, -12f, 3f}, x.grad().toArray(), 1e-6f);
    }

    @Test
    void backwardNeedsAScalarLossThatDependsOnTheTape() {
        Tensor x = Tensor.uniform(1, -1, 1, 2, 3).requireGrad();
        Tape tape = new Tape();
        try (Tape.Scope ignored = tape.activate()) {
            Tensor y = ActivationOps.tanh(x);
            IllegalArgumentException notScalar = assertThrows(IllegalArgumentException.class, () -> tape.backward(y));
            assertTrue(notScalar.getMessage().contains("[2, 3]"), notScalar.getMessage());
        }
        Tensor constant = MatrixOps.sum(Tensor.zeros(2));
        IllegalArgumentException detached = assertThrows(IllegalArgumentException.class, () -> tape.backward(constant));
        assertTrue(detached.getMessage().contains("tape"), detached.getMessage());
    }

    @Test
    void nothingIsRecordedWithoutAnActiveTapeOrWhenPaused() {
        Tensor x = Tensor.uniform(2, -1, 1, 4).requireGrad();
        Tape tape = new Tape();
        Tensor outside = ActivationOps.sigmoid(x);
        assertFalse(outside.requiresGrad());
        try (Tape.Scope ignored = tape.activate()) {
            try (Tape.Scope paused = Tape.pause()) {
                ActivationOps.tanh(x);
            }
            assertEquals(0, tape.size());
            ActivationOps.tanh(x);
            assertEquals(1, tape.size());
        }
        assertNull(Tape.active());
    }

    @Test
    void inputsThatNeedNoGradientAreLeftAlone() {
        Tensor data = Tensor.uniform(3, -1, 1, 2, 3);
        Tensor weight = Tensor.uniform(4, -1, 1, 3, 2).requireGrad();
        Tape tape = new Tape();
        try (Tape.Scope ignored = tape.activate()) {
            tape.backward(MatrixOps.sum(MatrixOps.matmul(data, weight)));
        }
        assertFalse(data.hasGrad());
        assertTrue(weight.hasGrad());
    }

    /** Deferred work that writes what happens to it into a log. */
    private static final class LoggedWork implements Tape.Deferred {
        private final StringBuilder log;
        private final String name;

        LoggedWork(StringBuilder log, String name) {
            this.log = log;
            this.name = name;
        }

        @Override
        public void start() {
            log.append(name).append(" started; ");
        }

        @Override
        public void finish() {
            log.append(name).append(" finished; ");
        }
    }

    /** Records an op whose backward logs its name, then asks for the deferred work under a key. */
    private static Tensor loggedOp(Tensor input, StringBuilder log, String op, Object key, String work) {
        Tensor output = MatrixOps.mul(input, Tensor.of(new float[] {1f}, 1));
        Tape.record(op, output, () -> {
            log.append(op).append("; ");
            Tape.deferredInBackward(work, key, LoggedWork.class, () -> new LoggedWork(log, work));
        }, output);
        return output;
    }

    /**
     * Ops sharing a key share one deferred work, started when the pass first asks for it and
     * finished once after every op's backward, in the order the keys were first asked for; the
     * next pass starts the same object again. A pass that fails drops what it deferred unfinished.
     */
    @Test
    void deferredWorkFinishesOnceAfterEveryOpsBackward() {
        assertThrows(IllegalStateException.class,
                () -> Tape.deferredInBackward("w", this, LoggedWork.class, () -> new LoggedWork(new StringBuilder(), "w")),
                "outside a backward pass");
        Object first = new Object();
        Object second = new Object();
        StringBuilder log = new StringBuilder();
        Tape tape = new Tape();
        for (int pass = 0; pass < 2; pass++) {
            log.setLength(0);
            try (Tape.Scope ignored = tape.activate()) {
                Tensor x = Tensor.of(new float[] {2f}, 1).requireGrad();
                Tensor y = loggedOp(loggedOp(loggedOp(x, log, "a", first, "A"), log, "b", second, "B"), log, "c", first,
                        "A");
                tape.backward(MatrixOps.sum(y));
                tape.clear();
            }
            assertEquals("c; A started; b; B started; a; A finished; B finished; ", log.toString(), "pass " + pass);
        }
        // a failing op before the end: the work it deferred is neither finished nor kept for the next pass
        log.setLength(0);
        try (Tape.Scope ignored = tape.activate()) {
            Tensor x = Tensor.of(new float[] {2f}, 1).requireGrad();
            Tensor y = loggedOp(x, log, "a", first, "A");
            Tensor broken = MatrixOps.mul(y, Tensor.of(new float[] {1f}, 1));
            Tape.record("broken", broken, () -> {
                throw new IllegalArgumentException("no");
            }, y);
            Tensor z = loggedOp(broken, log, "c", first, "A");
            assertThrows(IllegalStateException.class, () -> tape.backward(MatrixOps.sum(z)));
            tape.clear();
        }
        assertEquals("c; A started; ", log.toString());
        log.setLength(0);
        StringBuilder newLog = new StringBuilder();
        try (Tape.Scope ignored = tape.activate()) {
            Tensor x = Tensor.of(new float[] {2f}, 1).requireGrad();
            Tensor y = loggedOp(x, newLog, "a", first, "A");
            tape.backward(MatrixOps.sum(y));
        }
        assertEquals("a; A started; A finished; ", newLog.toString(), "the next pass makes the work anew");
        assertEquals("", log.toString(), "the dropped work is not finished");
    }

    @Test
    void aBackwardThatFailsIsNamedWithItsShapes() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requireGrad();
        Tape tape = new Tape();
        IllegalStateException e;
        try (Tape.Scope ignored = tape.activate()) {
            Tensor y = MatrixOps.sum(x);
            Tensor broken = Tensor.of(new float[] {0}, 1);
            Tape.record("brokenOp", broken, () -> {
                throw new ArrayIndexOutOfBoundsException("Index 7 out of bounds for length 6");
            }, y, x);
            e = assertThrows(IllegalStateException.class, () -> tape.backward(broken));
        }
        assertEquals("backward of brokenOp([1], [2, 3]) -> [1] failed: Index 7 out of bounds for length 6",
                e.getMessage());
    }

    @Test
    void shapeErrorsNameTheOpAndBothShapes() {
        Tensor a = Tensor.zeros(2, 3).named("a");
        Tensor b = Tensor.zeros(4, 5).named("b");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MatrixOps.matmul(a, b));
        assertTrue(e.getMessage().contains("matmul") && e.getMessage().contains("a [2, 3]")
                && e.getMessage().contains("b [4, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MatrixOps.add(a, b));
        assertTrue(e.getMessage().startsWith("add:") && e.getMessage().contains("[4, 5]"), e.getMessage());
        IndexOutOfBoundsException ids = assertThrows(IndexOutOfBoundsException.class,
                () -> ShapeOps.gatherRows(a, new int[] {0, 2}));
        assertTrue(ids.getMessage().contains("id 2 at position 1"), ids.getMessage());
    }

    @Test
    void aClearedTapeIsReusedBatchAfterBatchWithoutKeepingIntermediates() {
        Tensor w = Tensor.uniform(5, -1, 1, 8, 8).requireGrad();
        Tensor x = Tensor.uniform(6, -1, 1, 4, 8);
        Tape tape = new Tape();
        float[] firstGradient = null;
        WeakReference<Tensor> intermediate = null;
        for (int batch = 0; batch < 50; batch++) {
            w.zeroGrad();
            try (Tape.Scope ignored = tape.activate()) {
                Tensor hidden = ActivationOps.tanh(MatrixOps.matmul(x, w));
                if (batch == 0) {
                    intermediate = new WeakReference<>(hidden);
                }
                tape.backward(MatrixOps.mean(hidden));
            }
            assertEquals(3, tape.size(), "each batch records the same three ops");
            if (firstGradient == null) {
                firstGradient = w.grad().toArray();
            } else {
                assertArrayEquals(firstGradient, w.grad().toArray(), "the same batch must give the same gradient");
            }
            tape.clear();
            assertEquals(0, tape.size());
        }
        for (int attempt = 0; attempt < 20 && intermediate.get() != null; attempt++) {
            System.gc();
        }
        assertNull(intermediate.get(), "an intermediate of a cleared tape is still reachable");
    }
}
