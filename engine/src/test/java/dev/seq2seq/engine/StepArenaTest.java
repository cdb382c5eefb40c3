package dev.seq2seq.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.autograd.ActivationOps;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.Tape;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class StepArenaTest {
    private static final int LENGTH = StepArena.MIN_LENGTH + 13;

    @Test
    void aRecycledArrayIsHandedOutAgainZeroed() {
        StepArena arena = new StepArena();
        float[] first;
        try (StepArena.Scope ignored = arena.enter()) {
            first = StepArena.floats(LENGTH);
            first[0] = 1f;
            first[LENGTH - 1] = 2f;
            assertNotSame(first, StepArena.floats(LENGTH), "two live arrays are two arrays");
        }
        arena.recycle();
        try (StepArena.Scope ignored = arena.enter()) {
            float[] again = StepArena.floats(LENGTH);
            assertTrue(again == first || StepArena.floats(LENGTH) == first, "the recycled array comes back");
            assertEquals(0f, first[0]);
            assertEquals(0f, first[LENGTH - 1]);
        }
        assertEquals(2L * LENGTH, arena.floatsAllocated());
        assertTrue(arena.floatsReused() >= LENGTH);
    }

    @Test
    void arraysAreMatchedByExactLength() {
        StepArena arena = new StepArena();
        try (StepArena.Scope ignored = arena.enter()) {
            StepArena.floats(LENGTH);
        }
        arena.recycle();
        try (StepArena.Scope ignored = arena.enter()) {
            assertEquals(LENGTH + 1, StepArena.floats(LENGTH + 1).length);
            assertEquals(LENGTH - 1, StepArena.floats(LENGTH - 1).length);
        }
        assertEquals(0, arena.floatsReused(), "no array of another length is handed out");
    }

    @Test
    void arraysOfLengthsNotAskedForLatelyAreKeptWithinTheBudgetThenLetGo() {
        StepArena arena = new StepArena();
        step(arena, 2 * LENGTH, LENGTH);
        assertEquals(3L * LENGTH, arena.floatsHeld());
        step(arena, LENGTH); // a batch of another length: the long array is not asked for
        // the last step used LENGTH: the unasked 2 x LENGTH is over the budget of as much again
        assertEquals(LENGTH, arena.floatsHeld(), "over the budget, let go");

        step(arena, LENGTH, LENGTH, LENGTH + 1);
        step(arena, LENGTH, LENGTH);
        assertEquals(3L * LENGTH + 1, arena.floatsHeld(), "within the budget, the unasked length is kept");
        long reusedBefore = arena.floatsReused();
        step(arena, LENGTH + 1);
        assertEquals(reusedBefore + LENGTH + 1, arena.floatsReused(), "and found again");

        for (int s = 0; s < StepArena.KEPT_STEPS; s++) {
            step(arena, LENGTH, LENGTH);
        }
        assertEquals(2L * LENGTH, arena.floatsHeld(), "unasked for " + StepArena.KEPT_STEPS + " steps, let go");
        arena.recycle();
        assertEquals(2L * LENGTH, arena.floatsHeld(), "recycling twice in a row keeps everything");
    }

    /** One step that asks for arrays of these lengths, all live together, then recycles. */
    private static void step(StepArena arena, int... lengths) {
        try (StepArena.Scope ignored = arena.enter()) {
            for (int length : lengths) {
                StepArena.floats(length);
            }
        }
        arena.recycle();
    }

    @Test
    void withoutAnEnteredArenaArraysAreNew() throws Exception {
        StepArena arena = new StepArena();
        float[] outside = StepArena.floats(LENGTH);
        try (StepArena.Scope ignored = arena.enter()) {
            float[] fromWorker = CompletableFuture.supplyAsync(() -> StepArena.floats(LENGTH)).get();
            try (StepArena.Scope left = StepArena.leave()) {
                StepArena.floats(LENGTH);
            }
            assertEquals(LENGTH, fromWorker.length);
        }
        assertEquals(LENGTH, outside.length);
        assertEquals(0, arena.floatsAllocated(), "neither another thread nor a left region took from the arena");
        CompletionException fromAnotherThread = assertThrows(
                CompletionException.class, () -> CompletableFuture.runAsync(arena::recycle).join());
        assertTrue(fromAnotherThread.getCause() instanceof IllegalStateException, "an arena belongs to one thread");
    }

    @Test
    void shortArraysAreAlwaysNew() {
        StepArena arena = new StepArena();
        try (StepArena.Scope ignored = arena.enter()) {
            StepArena.floats(StepArena.MIN_LENGTH - 1);
        }
        assertEquals(0, arena.floatsAllocated());
    }

    @Test
    void aTensorMadeInTheArenaTakesItsGradientFromItAndAParameterNever() {
        Tensor parameter = Tensor.zeros(LENGTH).requireGrad();
        StepArena arena = new StepArena();
        try (StepArena.Scope ignored = arena.enter()) {
            Tensor intermediate = Tensor.zeros(LENGTH).requireGrad();
            intermediate.rows(1, 3).gradData(); // a view's gradient is its owner's
            parameter.gradData();
            assertEquals(2L * LENGTH, arena.floatsAllocated(), "the intermediate's values and gradient");
        }
        arena.recycle();
        try (StepArena.Scope ignored = arena.enter()) {
            Tensor next = Tensor.zeros(LENGTH);
            assertNotSame(parameter.data(), next.data());
            assertNotSame(parameter.gradData(), next.data());
        }
    }

    @Test
    void aStepArenaTapeRecyclesWhenClearedAndNotWhilePaused() {
        Tape tape = Tape.withStepArena();
        float[] recorded;
        try (Tape.Scope ignored = tape.activate()) {
            recorded = Tensor.zeros(LENGTH).data();
            try (Tape.Scope paused = Tape.pause()) {
                Tensor.zeros(LENGTH);
            }
        }
        Tensor outside = Tensor.zeros(LENGTH);
        assertEquals(LENGTH, tape.arena().floatsAllocated(), "only what was made while recording");
        tape.clear();
        try (Tape.Scope ignored = tape.activate()) {
            assertSame(recorded, Tensor.zeros(LENGTH).data());
        }
        assertNotSame(recorded, outside.data());
        try (Tape.Scope ignored = new Tape().activate()) {
            Tensor.zeros(LENGTH);
        }
        assertEquals(LENGTH, tape.arena().floatsAllocated(), "a plain tape allocates as usual");
    }

    @Test
    void backwardGivesAnOpsOutputBackOnceItsBackwardHasRunAndTheGradientsAreUnchanged() {
        Tensor x = Tensor.uniform(1, -1f, 1f, 3, LENGTH).requireGrad();
        Tensor plainGradient = gradientOfSumOfTanhTwice(x, new Tape());
        x.zeroGrad();
        Tape tape = Tape.withStepArena();
        Tensor arenaGradient = gradientOfSumOfTanhTwice(x, tape);
        assertArrayEquals(plainGradient.toArray(), arenaGradient.toArray());
        assertTrue(tape.arena().floatsGivenBack() >= 2L * 3 * LENGTH,
                "the two tanh outputs, their gradients: " + tape.arena().floatsGivenBack());
    }

    /** d/dx of sum(tanh(tanh(x))) on this tape; a copy. */
    private static Tensor gradientOfSumOfTanhTwice(Tensor x, Tape tape) {
        tape.clear();
        try (Tape.Scope ignored = tape.activate()) {
            Tensor y = ActivationOps.tanh(ActivationOps.tanh(x));
            tape.backward(MatrixOps.sum(y));
        }
        tape.clear();
        return x.grad().copy();
    }
}
