package dev.seq2seq.app.train;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar with ETA for an epoch when the output is a terminal; nothing otherwise. Its width
 * is given, so the bar library never probes the terminal (which would load a native library).
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    /** The bar's width: $COLUMNS when the shell exports it, else 100. */
    static int width() {
        try {
            return Math.max(40, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100").trim()));
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    Progress(String task, long total, boolean terminal, PrintStream out) {
        this.bar = terminal ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out, width()))
                .setUpdateIntervalMillis(250).continuousUpdate().build() : null;
    }

    void step(long done, String message) {
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(message);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
