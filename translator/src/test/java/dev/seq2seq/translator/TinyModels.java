package dev.seq2seq.translator;

import dev.seq2seq.translator.data.Level;
import dev.seq2seq.translator.data.Padding;
import dev.seq2seq.translator.model.Architecture;
import dev.seq2seq.translator.model.Attention;
import dev.seq2seq.translator.model.Cell;
import dev.seq2seq.translator.train.RunFiles;
import dev.seq2seq.translator.train.Trainer;
import dev.seq2seq.translator.train.TrainingRun;
import dev.seq2seq.translator.train.TrainingView;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/** Small trained checkpoints for tests of what sits on top of a model (the library, the server). */
public final class TinyModels {
    private TinyModels() {
    }

    /**
     * A character-level LSTM with general attention, trained for a few seconds on 24 bundled pairs
     * and saved in {@code file}: enough for outputs that differ from input to input.
     */
    public static Path attention(Path file) throws Exception {
        return train(file, Architecture.plain(Level.CHAR, Cell.LSTM, 32, Padding.MASKED)
                .withAttention(Attention.GENERAL));
    }

    /** The seed's model (no attention), trained and saved the same way. */
    public static Path plain(Path file) throws Exception {
        return train(file, Architecture.plain(Level.CHAR, Cell.LSTM, 32, Padding.MASKED));
    }

    private static Path train(Path file, Architecture architecture) throws Exception {
        TrainingRun run = TrainingRun.start(TinyData.distinctPairs(24), TinyData.settings(12, 8, 0.01f, 0),
                architecture);
        new Trainer(new RunFiles(file), 0, 0, TrainingView.NONE, new PrintStream(OutputStream.nullOutputStream()))
                .run(run.corpus(), run.model(), run.optimizer(), run.state());
        return file;
    }
}
