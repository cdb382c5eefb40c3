package dev.seq2seq.app.console;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The width of the terminal the program writes to, asked of the terminal itself ({@code stty size}
 * on its {@code /dev/tty}): {@code $COLUMNS} is a shell variable that shells do not export, so a
 * program rarely sees it. Falls back to {@code $COLUMNS}, then to 80.
 */
final class TerminalWidth {
    static final int FALLBACK = 80;

    private TerminalWidth() {
    }

    /** The columns of the terminal, or 0 when the output is not a terminal (a file, a pipe). */
    static int ofConsole() {
        if (System.console() == null) {
            return 0;
        }
        Integer asked = fromStty();
        if (asked != null) {
            return asked;
        }
        return parse(System.getenv("COLUMNS"), FALLBACK);
    }

    private static Integer fromStty() {
        File tty = new File("/dev/tty");
        if (!tty.canRead()) {
            return null;
        }
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(tty)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String answer = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (!stty.waitFor(2, TimeUnit.SECONDS) || stty.exitValue() != 0) {
                return null;
            }
            String[] rowsAndColumns = answer.split("\\s+");
            return rowsAndColumns.length == 2 ? parse(rowsAndColumns[1], null) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A positive column count, or {@code otherwise}. */
    static Integer parse(String columns, Integer otherwise) {
        try {
            int parsed = Integer.parseInt(columns == null ? "" : columns.trim());
            return parsed > 0 ? parsed : otherwise;
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
