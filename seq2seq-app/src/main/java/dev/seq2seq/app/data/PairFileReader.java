package dev.seq2seq.app.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the tab-separated sentence-pair files of manythings.org/anki (Tatoeba): per line the
 * English sentence, a tab, the translation, and in releases since about 2020 a third column with
 * the attribution, which is ignored. UTF-8; a byte-order mark and CRLF line ends are tolerated.
 * Lines without a tab or with an empty side are skipped and reported.
 */
public final class PairFileReader {
    /** The bundled default data: the first 10,000 pairs of the 2019 English-French file. */
    public static final String BUNDLED = "/data/fra-eng-10k.txt";
    public static final String BUNDLED_NAME = "the bundled fra-eng-10k.txt (Tatoeba via manythings.org, CC-BY 2.0 FR)";
    static final int REPORTED_LINES = 5;

    private PairFileReader() {
    }

    public static PairFile read(Path file) throws DataException {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new DataException(file + ": is a folder, not a sentence-pair file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        return parse(file.toString(), bytes);
    }

    public static PairFile readBundled() {
        try (InputStream in = PairFileReader.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("the bundled data " + BUNDLED + " is missing from the jar");
            }
            return parse(BUNDLED_NAME, in.readAllBytes());
        } catch (IOException | DataException e) {
            throw new IllegalStateException("the bundled data cannot be read: " + e.getMessage(), e);
        }
    }

    static PairFile parse(String source, byte[] bytes) throws DataException {
        if (bytes.length == 0) {
            throw new DataException(source + ": the file is empty");
        }
        String text = decode(source, bytes);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<SentencePair> pairs = new ArrayList<>();
        List<Integer> firstSkipped = new ArrayList<>();
        int skipped = 0;
        int lineNumber = 0;
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            lineNumber++;
            String line = text.substring(start, end);
            start = end + 1;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank()) {
                continue; // blank lines (a trailing one, say) are not pairs and not errors
            }
            String[] columns = line.split("\t", -1);
            if (columns.length < 2 || columns[0].isBlank() || columns[1].isBlank()) {
                skipped++;
                if (firstSkipped.size() < REPORTED_LINES) {
                    firstSkipped.add(lineNumber);
                }
                continue;
            }
            pairs.add(new SentencePair(columns[0].strip(), columns[1].strip(), lineNumber));
        }
        if (pairs.isEmpty()) {
            throw new DataException(source + ": no sentence pairs found"
                    + (skipped > 0 ? " (" + skipped + " lines without a tab or with an empty side, first at line "
                    + firstSkipped.get(0) + ")" : "") + "; expected lines of the form English<TAB>translation");
        }
        return new PairFile(source, List.copyOf(pairs), skipped, List.copyOf(firstSkipped));
    }

    private static String decode(String source, byte[] bytes) throws DataException {
        for (int i = 0; i < Math.min(bytes.length, 1 << 16); i++) {
            if (bytes[i] == 0) {
                throw new DataException(source + ": not a text file (a zero byte at offset " + i + ")");
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            return decoder.decode(buffer).toString();
        } catch (MalformedInputException e) {
            throw new DataException(source + ": not UTF-8 text (an invalid byte near offset " + buffer.position() + ")");
        } catch (CharacterCodingException e) {
            throw new DataException(source + ": not UTF-8 text (" + e.getMessage() + ")");
        }
    }
}
