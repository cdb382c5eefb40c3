package dev.seq2seq.app.cli;

import dev.seq2seq.app.data.DataException;
import dev.seq2seq.app.data.PairFile;
import dev.seq2seq.app.data.PairFileReader;
import dev.seq2seq.engine.kernels.Backend;
import java.nio.file.Path;

/** Small pieces the commands share. */
final class Settings {
    static final String BUNDLED = "bundled";

    private Settings() {
    }

    /** Sets the kernel thread count; must run before the first kernel call. */
    static void threads(Integer threads) {
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            System.setProperty("seq2seq.threads", Integer.toString(threads));
        }
        System.setProperty("seq2seq.quiet", "true");
        System.err.println("[seq2seq] " + Backend.describe(Backend.kernels()));
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
