package dev.seq2seq.translator.data;

import dev.seq2seq.nn.io.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the tab-separated sentence-pair files of manythings.org/anki (Tatoeba): per line the
 * English sentence, a tab, the translation, and in releases since about 2020 a third column with
 * the attribution, which is ignored. Strict UTF-8 with a tolerated byte-order mark and CRLF line
 * ends ({@link TextLines}). Lines without a tab, with an empty side, or with a sentence longer
 * than {@link Limits#MAX_SENTENCE_CHARACTERS} are skipped and reported with their numbers.
 */
public final class PairFileReader {
    /** The bundled default data: the first 10,000 pairs of the 2019 English-French file. */
    public static final String BUNDLED = "/data/fra-eng-10k.txt";
    /** What a checkpoint records for the bundled data. */
    public static final String BUNDLED_DATA = "bundled";
    public static final String BUNDLED_NAME = "the bundled fra-eng-10k.txt (Tatoeba via manythings.org, CC-BY 2.0 FR)";
    static final int REPORTED_LINES = 5;
    static final String MALFORMED = "no tab, or an empty side";
    static final String TOO_LONG = "a sentence longer than " + Limits.MAX_SENTENCE_CHARACTERS + " characters";

    private PairFileReader() {
    }

    public static PairFile read(Path file) throws DataException {
        if (Files.isDirectory(file)) {
            throw new DataException(file + ": is a folder, not a sentence-pair file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(file.toString(), file.toAbsolutePath().normalize().toString(), in);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read (" + AtomicFile.reason(e) + ")");
        }
    }

    public static PairFile readBundled() {
        try (InputStream in = PairFileReader.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("the bundled data " + BUNDLED + " is missing from the jar");
            }
            return parse(BUNDLED_NAME, BUNDLED_DATA, in);
        } catch (IOException | DataException e) {
            throw new IllegalStateException("the bundled data cannot be read: " + e.getMessage(), e);
        }
    }

    static PairFile parse(String source, String data, InputStream in) throws IOException, DataException {
        List<SentencePair> pairs = new ArrayList<>();
        Map<String, List<Integer>> skipped = new LinkedHashMap<>();
        try (TextLines lines = new TextLines(in, source)) {
            for (String line = lines.next(); line != null; line = lines.next()) {
                if (line.isBlank()) {
                    continue; // blank lines (a trailing one, say) are not pairs and not errors
                }
                String[] columns = line.split("\t", -1);
                String english = columns[0].strip();
                String translation = columns.length < 2 ? "" : columns[1].strip();
                String problem = null;
                if (english.isEmpty() || translation.isEmpty()) {
                    problem = MALFORMED;
                } else if (Limits.characters(english) > Limits.MAX_SENTENCE_CHARACTERS
                        || Limits.characters(translation) > Limits.MAX_SENTENCE_CHARACTERS) {
                    problem = TOO_LONG;
                }
                if (problem != null) {
                    skipped.computeIfAbsent(problem, p -> new ArrayList<>()).add(lines.lineNumber());
                    continue;
                }
                pairs.add(new SentencePair(english, translation, lines.lineNumber()));
            }
            if (lines.bytesRead() == 0) {
                throw new DataException(source + ": the file is empty");
            }
            List<PairFile.SkippedLines> report = new ArrayList<>();
            skipped.forEach((reason, numbers) -> report.add(new PairFile.SkippedLines(reason, numbers.size(),
                    numbers.subList(0, Math.min(REPORTED_LINES, numbers.size())))));
            if (pairs.isEmpty()) {
                List<Integer> malformed = skipped.getOrDefault(MALFORMED, List.of());
                throw new DataException(source + ": no sentence pairs found"
                        + (malformed.isEmpty() ? "" : " (" + malformed.size() + " lines without a tab or with an empty"
                        + " side, first at line " + malformed.get(0) + ")")
                        + (skipped.containsKey(TOO_LONG) ? " (" + skipped.get(TOO_LONG).size() + " lines with " + TOO_LONG
                        + ")" : "") + "; expected lines of the form English<TAB>translation");
            }
            return new PairFile(source, data, lines.sha256(), pairs, report);
        }
    }
}
