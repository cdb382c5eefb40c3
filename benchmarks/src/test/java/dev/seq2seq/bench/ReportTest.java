package dev.seq2seq.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code Report -h} and {@code --help} print the usage instead of running the benchmarks or failing. */
class ReportTest {
    @Test
    void helpIsPrintedForEverySpellingAndOnlyThen() throws Exception {
        for (String help : new String[] {"-h", "--help", "-help"}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            assertTrue(Report.helpAsked(new String[] {"Matmul", help}, new PrintStream(bytes, true, StandardCharsets.UTF_8)));
            assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("Usage: java --add-modules"), bytes.toString());
        }
        assertFalse(Report.helpAsked(new String[] {"Matmul", "-f", "1"}, new PrintStream(new ByteArrayOutputStream())));
    }
}
