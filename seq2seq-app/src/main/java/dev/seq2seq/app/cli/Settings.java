package dev.seq2seq.app.cli;

import dev.seq2seq.translator.data.DataException;
import dev.seq2seq.translator.data.PairFile;
import dev.seq2seq.translator.data.PairFileReader;
import dev.seq2seq.translator.model.TrainingState.TrainingSettings;
import java.nio.file.Path;

/** Small pieces the commands share. */
final class Settings {
    static final String BUNDLED = PairFileReader.BUNDLED_DATA;

    private Settings() {
    }

    /** The pairs of {@code data} ("bundled" or a path), the first {@code numSamples} (0 = all). */
    static PairFile pairs(String data, int numSamples) throws DataException {
        return read(data).first(requireSamples(numSamples));
    }

    private static int requireSamples(int numSamples) {
        if (numSamples < 0) {
            throw new IllegalArgumentException("--num-samples must be 0 (all) or more, got " + numSamples);
        }
        return numSamples;
    }

    private static PairFile read(String data) throws DataException {
        PairFile file = data == null || data.equals(BUNDLED) ? PairFileReader.readBundled()
                : PairFileReader.read(Path.of(data));
        for (String summary : file.skippedSummaries()) {
            System.err.println("warning: " + summary);
        }
        return file;
    }

    /**
     * The whole pair file a checkpoint was trained on: the path it records, or {@code elsewhere}
     * when given (the same file moved). Its content must be what the checkpoint's SHA-256 says, so
     * a changed file, or a crafted checkpoint pointing at some other file, is refused before any
     * line of it is used or shown.
     */
    static PairFile trainingPairs(Path checkpoint, TrainingSettings settings, String elsewhere) throws DataException {
        PairFile file = read(elsewhere != null ? elsewhere : settings.data());
        if (settings.dataSha256() != null && !settings.dataSha256().equals(file.sha256())) {
            throw new DataException(checkpoint + " was trained on " + settings.data() + ", but "
                    + file.source() + " has other content (its SHA-256 differs from the one the checkpoint records)"
                    + (elsewhere == null ? "; give the file it was trained on with --data" : ""));
        }
        if (settings.dataSha256() == null) {
            System.err.println("warning: " + checkpoint + " does not record the SHA-256 of its data (an older"
                    + " checkpoint): " + file.source() + " is taken to be the same file");
        }
        return file;
    }
}
