package dev.seq2seq.app.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress line fits the terminal, shows the running mean loss, and leaves nothing behind. */
class ProgressTest {
    @Test
    void theLineNeverReachesTheTerminalsLastColumnAndIsErasedAtTheEnd() throws Exception {
        for (int width : new int[] {40, 60, 80, 200}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            try (Progress progress = new Progress("epoch 12/100", 125, width, out)) {
                for (int batch = 1; batch <= 125; batch++) {
                    progress.step(batch, 1.5 + 1.0 / batch);
                }
                Thread.sleep(300); // one refresh of the bar while the epoch runs
            }
            String written = bytes.toString(StandardCharsets.UTF_8);
            String[] redraws = written.split("\r", -1);
            for (String redraw : redraws) {
                assertTrue(redraw.length() <= width - 1, width + " columns: a redraw of " + redraw.length() + ": '"
                        + redraw + "'");
            }
            assertTrue(!written.contains("\n"), "one line, redrawn in place: " + written);
            assertTrue(written.contains("loss 1.5080") || width < 60, "the running mean loss: " + written);
            assertEquals("", redraws[redraws.length - 1], "the line is erased and the cursor back at its start");
            assertEquals("", redraws[redraws.length - 2].strip(), "the last drawing is blanks");
        }
    }

    @Test
    void noTerminalNoOutput() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Progress progress = new Progress("epoch 1/1", 10, 0, new PrintStream(bytes))) {
            progress.step(5, 2.0);
        }
        assertEquals(0, bytes.size());
    }

    @Test
    void aColumnCountIsReadOnlyWhenItIsOne() {
        assertEquals(132, TerminalWidth.parse(" 132 ", 80));
        assertEquals(80, TerminalWidth.parse("wide", 80));
        assertEquals(80, TerminalWidth.parse("0", 80));
        assertEquals(80, TerminalWidth.parse(null, 80));
    }
}
