package dev.seq2seq.app.console;

import dev.seq2seq.app.plot.LossCurve;
import dev.seq2seq.translator.model.TrainingState.EpochRecord;
import dev.seq2seq.translator.train.RunFiles;
import dev.seq2seq.translator.train.TrainingView;
import java.awt.AWTError;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * How {@code train} shows a run: a progress line per epoch when the output is a terminal, and the
 * loss curve redrawn into {@link RunFiles#curve()} after every epoch.
 */
public final class ConsoleView implements TrainingView {
    private final PrintStream out;
    private final int terminalWidth;

    /** @param progressBar draw the progress line when the output is a terminal */
    public ConsoleView(PrintStream out, boolean progressBar) {
        this.out = out;
        this.terminalWidth = progressBar ? TerminalWidth.ofConsole() : 0;
    }

    @Override
    public EpochMeter epoch(String task, int batches) {
        Progress progress = new Progress(task, batches, terminalWidth, out);
        return new EpochMeter() {
            @Override
            public void step(long done, double meanLoss) {
                progress.step(done, meanLoss);
            }

            @Override
            public void close() {
                progress.close();
            }
        };
    }

    @Override
    public void epochSaved(RunFiles files, List<EpochRecord> history, String settings, String lossKind) {
        try {
            LossCurve.write(files.curve(), history, settings, lossKind);
        } catch (IOException e) {
            out.println("warning: the loss curve was not drawn: " + e.getMessage());
        } catch (RuntimeException | LinkageError | AWTError e) {
            // A machine without the desktop libraries or fonts: the curve is optional.
            out.println("warning: the loss curve was not drawn (" + e + "); the checkpoints are saved");
        }
    }
}
