package dev.seq2seq.app.train;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar with ETA for an epoch when the output is a terminal; nothing otherwise. */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    static {
        // The bar needs only the terminal's width: keep jline to its pure-Java providers, so that no
        // native library is loaded (and newer JDKs print no native-access warning).
        for (String provider : new String[] {"jni", "jna", "jansi", "ffm"}) {
            System.setProperty("org.jline.terminal." + provider, "false");
        }
    }

    Progress(String task, long total, boolean terminal, PrintStream out) {
        this.bar = terminal ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out))
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
