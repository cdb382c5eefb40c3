package dev.seq2seq.translator.train;

import dev.seq2seq.nn.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The files of one training run, all beside the checkpoint the user named and derived from its
 * name ("model.safetensors" -> "model.best.safetensors", ...). Nothing is written anywhere else.
 */
public record RunFiles(Path model) {
    private static final String EXTENSION = ".safetensors";

    /** The checkpoint of the epoch with the best validation loss (weights and history, no optimiser state). */
    public Path best() {
        return sibling(".best.safetensors");
    }

    /** The loss curve, a PNG. */
    public Path curve() {
        return sibling(".loss.png");
    }

    /** One line per epoch, with its duration: Keras's CSVLogger. */
    public Path history() {
        return sibling(".history.csv");
    }

    /** Held by the running {@code train} process: see {@link RunLock}. */
    public Path lock() {
        return sibling(".lock");
    }

    /** Every file a run writes (the lock aside). */
    public List<Path> written() {
        return List.of(model, best(), curve(), history());
    }

    /** Removes what killed runs left half-written; call while holding the lock. Returns how many. */
    public int sweepStaleTemporaryFiles() throws IOException {
        int swept = 0;
        for (Path file : written()) {
            swept += AtomicFile.sweepStale(file);
        }
        return swept;
    }

    private Path sibling(String suffix) {
        String name = model.getFileName().toString();
        String stem = name.endsWith(EXTENSION) ? name.substring(0, name.length() - EXTENSION.length()) : name;
        return model.resolveSibling(stem + suffix);
    }
}
