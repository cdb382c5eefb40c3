package dev.seq2seq.app.console;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressState;

/**
 * The progress of an epoch on one terminal line, as Keras's progbar shows it: a bar, the ETA and
 * the running mean of the batch losses (so its last value is the epoch line's loss). The line is
 * redrawn in place, never wider than the terminal, and erased when the epoch ends, so the epoch
 * line takes its place. Nothing is drawn when the output is not a terminal.
 *
 * <p>The bar library renders the line; {@link LineConsumer} draws it, so the library never probes
 * the terminal itself (that would load a native library).
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    /** @param width the terminal's width in columns (see {@link TerminalWidth}), 0 for no terminal */
    Progress(String task, long total, int width, PrintStream out) {
        this.bar = width > 0 ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setRenderer(Progress::render).setConsumer(new LineConsumer(out, width))
                .setUpdateIntervalMillis(250).continuousUpdate().build() : null;
    }

    /** {@code done} batches so far; {@code meanLoss} the mean loss over them. */
    void step(long done, double meanLoss) {
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", meanLoss));
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    /**
     * {@code epoch 3/100  63/125 [=========>.........] ETA 4 s  loss 1.2345}, in at most
     * {@code width} columns: the bar takes what the words leave, and goes first when that is
     * too little.
     */
    static String render(ProgressState state, int width) {
        long done = state.getCurrent();
        long total = Math.max(1, state.getMax());
        double elapsed = state.getElapsedAfterStart().toMillis() / 1000.0;
        String eta = done == 0 ? "ETA ?" : String.format(Locale.ROOT, "ETA %.0f s",
                elapsed * (total - done) / done);
        String left = state.getTaskName() + "  " + done + "/" + total + " ";
        String right = " " + eta + "  " + state.getExtraMessage();
        int barWidth = width - left.length() - right.length() - 2;
        if (barWidth < 10) { // too narrow for a bar: the words alone, cut to the width
            String words = left + right.substring(1);
            return words.length() <= width ? words : words.substring(0, width);
        }
        int filled = (int) (barWidth * done / total);
        String bar = "=".repeat(filled) + (filled < barWidth ? ">" + ".".repeat(barWidth - filled - 1) : "");
        return left + "[" + bar + "]" + right;
    }

    /**
     * Draws each rendering over the previous one ({@code \r}), one column short of the width so the
     * terminal never wraps, and erases the line on close.
     */
    static final class LineConsumer implements ProgressBarConsumer {
        private final PrintStream out;
        private final int width;
        private int drawn;

        LineConsumer(PrintStream out, int width) {
            this.out = out;
            this.width = width;
        }

        @Override
        public int getMaxRenderedLength() {
            return Math.max(1, width - 1);
        }

        @Override
        public synchronized void accept(String rendered) {
            String line = rendered.length() > getMaxRenderedLength() ? rendered.substring(0, getMaxRenderedLength())
                    : rendered;
            out.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
            out.flush();
            drawn = line.length();
        }

        @Override
        public synchronized void close() {
            out.print("\r" + " ".repeat(drawn) + "\r");
            out.flush();
            drawn = 0;
        }
    }
}
