package dev.seq2seq.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in this JVM, with standard input given and both outputs captured. */
final class Cli {
    private Cli() {
    }

    record Run(int code, String out, String err) {
        /** Exit code 2, the message on stderr, and no stack trace. */
        void assertUserError(String expected) {
            assertEquals(Main.USER_ERROR, code, "exit code; stderr: " + err);
            assertTrue(err.contains(expected), "stderr should say '" + expected + "': " + err);
            assertFalse(err.contains("\tat ") || err.contains("Exception"), "a stack trace for a user error: " + err);
        }

        void assertSuccess() {
            assertEquals(0, code, "exit code; stderr: " + err);
        }
    }

    static Run run(String... args) {
        return runWithInput(new byte[0], args);
    }

    static Run runWithInput(String stdin, String... args) {
        return runWithInput(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    static synchronized Run runWithInput(byte[] stdin, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(stdin));
            int code = Main.run(args);
            return new Run(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        }
    }
}
