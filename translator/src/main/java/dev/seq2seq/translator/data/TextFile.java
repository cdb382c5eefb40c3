package dev.seq2seq.translator.data;

import dev.seq2seq.nn.io.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A file of sentences, one per line, as the {@code score} command reads hypotheses and references. */
public final class TextFile {
    private TextFile() {
    }

    /** Every line of the file (UTF-8, held to {@link TextLines}' rules); a missing or unreadable file is named. */
    public static List<String> lines(Path file) throws DataException {
        if (Files.isDirectory(file)) {
            throw new DataException(file + ": is a folder, not a file of sentences");
        }
        List<String> lines = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file); TextLines text = new TextLines(in, file.toString())) {
            for (String line = text.next(); line != null; line = text.next()) {
                lines.add(line);
            }
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read (" + AtomicFile.reason(e) + ")");
        }
        return lines;
    }
}
