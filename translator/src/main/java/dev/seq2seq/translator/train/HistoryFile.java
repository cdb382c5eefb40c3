package dev.seq2seq.translator.train;

import dev.seq2seq.nn.io.AtomicFile;
import dev.seq2seq.translator.model.TrainingState.EpochRecord;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run's history as CSV, one line per epoch (as Keras's CSVLogger writes it):
 * {@code epoch,loss,val_loss,val_accuracy,seconds}. The durations live here and not in the
 * checkpoint, which then depends only on the data, the settings and the seed.
 */
final class HistoryFile {
    static final String HEADER = "epoch,loss,val_loss,val_accuracy,seconds";

    private HistoryFile() {
    }

    /** The seconds per epoch recorded in an existing history (a resumed run keeps them); empty if none. */
    static Map<Integer, Double> readSeconds(Path file) {
        Map<Integer, Double> seconds = new HashMap<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] cells = line.split(",");
                if (cells.length >= 5 && !cells[4].isEmpty()) {
                    seconds.put(Integer.parseInt(cells[0]), Double.parseDouble(cells[4]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no history yet, or not ours: the durations of earlier epochs are left blank
        }
        return seconds;
    }

    static void write(Path file, List<EpochRecord> history, Map<Integer, Double> seconds) throws IOException {
        AtomicFile.write(file, out -> {
            PrintWriter csv = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            // the chrF2 column only for runs that measure it, so the seed's file keeps its columns
            boolean chrF = history.stream().anyMatch(record -> !Double.isNaN(record.validationChrF()));
            csv.print(HEADER + (chrF ? ",val_chrf2" : "") + "\n");
            for (EpochRecord record : history) {
                Double duration = seconds.get(record.epoch());
                csv.print(String.format(Locale.ROOT, "%d,%s,%s,%s,%s", record.epoch(), number(record.trainLoss()),
                        number(record.validationLoss()), number(record.validationAccuracy()),
                        duration == null ? "" : String.format(Locale.ROOT, "%.3f", duration))
                        + (chrF ? "," + number(record.validationChrF()) : "") + "\n");
            }
            csv.flush();
        });
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6f", value);
    }
}
