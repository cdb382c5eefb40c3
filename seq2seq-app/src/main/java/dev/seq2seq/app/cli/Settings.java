package dev.seq2seq.app.cli;

import dev.seq2seq.app.data.DataException;
import dev.seq2seq.app.data.PairFile;
import dev.seq2seq.app.data.PairFileReader;
import java.nio.file.Path;

/** Small pieces the commands share. */
final class Settings {
    static final String BUNDLED = "bundled";

    private Settings() {
    }

    /** The pairs of {@code data} ("bundled" or a path), the first {@code numSamples} (0 = all). */
    static PairFile pairs(String data, int numSamples) throws DataException {
        if (numSamples < 0) {
            throw new IllegalArgumentException("--num-samples must be 0 (all) or more, got " + numSamples);
        }
        PairFile file = data == null || data.equals(BUNDLED) ? PairFileReader.readBundled()
                : PairFileReader.read(Path.of(data));
        if (file.skipped() > 0) {
            System.err.println("warning: " + file.skippedSummary());
        }
        return file.first(numSamples);
    }
}
