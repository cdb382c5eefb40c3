package dev.seq2seq.engine.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The profile on a clock moved by hand: every nanosecond must land where the class comment says. */
class OpProfileTest {

    @Test
    void timeGoesToTheOpRecordedAfterItToMarksAndToEachBackward() {
        AtomicLong clock = new AtomicLong(1_000);
        OpProfile profile = new OpProfile(clock::get);
        Tensor a = Tensor.uniform(1, -1, 1, 3, 4).requireGrad();
        Tensor b = Tensor.uniform(2, -1, 1, 4, 5).requireGrad();
        Tape tape = new Tape();
        clock.addAndGet(400); // before the profile is attached: counted nowhere
        tape.profile(profile);
        for (int step = 0; step < 2; step++) {
            clock.addAndGet(5);
            tape.mark("(batch)");
            tape.clear();
            try (Tape.Scope ignored = tape.activate()) {
                clock.addAndGet(7);
                Tensor product = MatrixOps.matmul(a, b); // the 7 ns since the mark
                Tensor squashed = ActivationOps.tanh(product);
                // an op whose backward takes 3 ns, and whose forward took 2
                clock.addAndGet(2);
                Tensor slow = MatrixOps.scale(squashed, 1f);
                Tape.record("slow", slow, () -> {
                    clock.addAndGet(3);
                    for (int i = 0; i < squashed.size(); i++) {
                        squashed.gradData()[squashed.offset() + i] += slow.gradData()[i];
                    }
                }, squashed);
                Tensor loss = MatrixOps.sum(slow);
                clock.addAndGet(11);
                tape.backward(loss); // the 11 ns before it: forward work outside recorded ops
            }
            clock.addAndGet(1_000);
            tape.profile(profile); // restarts the clock: the 1,000 ns are counted nowhere
        }
        tape.profile(null);
        assertEquals(2 * 5e-9, profile.seconds("(batch)"), 1e-15);
        assertEquals(2 * 7e-9, profile.seconds("matmul([3, 4], [4, 5]) -> [3, 5]"), 1e-15);
        assertEquals(0, profile.seconds("tanh("), 1e-15);
        assertEquals(2 * 2e-9, profile.seconds("scale("), 1e-15);
        assertEquals(2 * 3e-9, profile.seconds("slow("), 1e-15);
        assertEquals(2 * 11e-9, profile.seconds("(forward, outside recorded ops)"), 1e-15);
        assertEquals(2 * (5 + 7 + 2 + 3 + 11) * 1e-9, profile.totalSeconds(), 1e-15);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        profile.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), 2);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("| op | forward s | backward s | calls | share |"), printed);
        assertTrue(printed.contains("| (forward, outside recorded ops) | 0.00 | 0.00 | 2 | 39.3% |"), printed);
        assertTrue(printed.contains("| matmul | 0.00 | 0.00 | 2 | 25.0% |"), printed);
        String shapesTable = printed.substring(printed.indexOf("| op (shapes) |"));
        long rows = shapesTable.lines().filter(line -> line.startsWith("| ") && !line.startsWith("| op")).count();
        assertEquals(2, rows, "the shapes table keeps the 2 costliest: " + printed);
    }
}
