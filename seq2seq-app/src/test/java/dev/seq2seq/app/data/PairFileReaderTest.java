package dev.seq2seq.app.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairFileReaderTest {
    @TempDir
    Path folder;

    private Path file(String name, String content) throws Exception {
        Path path = folder.resolve(name);
        Files.writeString(path, content, StandardCharsets.UTF_8);
        return path;
    }

    @Test
    void twoAndThreeColumnFilesGiveThePairs() throws Exception {
        PairFile two = PairFileReader.read(file("two.txt", "Go.\tVa !\nHi.\tSalut !\n"));
        assertEquals(List.of(new SentencePair("Go.", "Va !", 1), new SentencePair("Hi.", "Salut !", 2)), two.pairs());
        PairFile three = PairFileReader.read(file("three.txt",
                "Go.\tVa !\tCC-BY 2.0 (France) Attribution: tatoeba.org #2877272 (CM) & #1158250 (Wittydev)\n"));
        assertEquals(new SentencePair("Go.", "Va !", 1), three.pairs().get(0));
    }

    @Test
    void byteOrderMarkAndWindowsLineEndsAreTolerated() throws Exception {
        PairFile pairs = PairFileReader.read(file("crlf.txt", "\uFEFFGo.\tVa !\r\nHi.\tSalut !\r\n"));
        assertEquals(List.of(new SentencePair("Go.", "Va !", 1), new SentencePair("Hi.", "Salut !", 2)), pairs.pairs());
        assertEquals(0, pairs.skipped());
    }

    @Test
    void malformedLinesAreSkippedAndReportedWithTheirNumbers() throws Exception {
        PairFile pairs = PairFileReader.read(file("bad.txt",
                "Go.\tVa !\nno tab here\n\tonly French\nHi.\t \n\nRun!\tCours !\n"));
        assertEquals(2, pairs.pairs().size());
        assertEquals(3, pairs.skipped());
        assertEquals(List.of(2, 3, 4), pairs.firstSkippedLines());
        assertTrue(pairs.skippedSummary().contains("lines 2, 3, 4"), pairs.skippedSummary());
        assertEquals(6, pairs.pairs().get(1).line(), "line numbers count the blank line");
    }

    @Test
    void unusableFilesGetAMessageNamingTheFile() throws Exception {
        Path missing = folder.resolve("missing.txt");
        assertMessage(missing, "missing.txt: no such file");
        assertMessage(file("empty.txt", ""), "empty.txt: the file is empty");
        assertMessage(file("nopairs.txt", "just text\nmore text\n"), "no sentence pairs found");
        Path binary = folder.resolve("binary.bin");
        Files.write(binary, new byte[] {'G', 'o', 0, 1, 2, '\t', 'x'});
        assertMessage(binary, "not a text file");
        Path latin1 = folder.resolve("latin1.txt");
        Files.write(latin1, "Caf\u00e9\tcaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertMessage(latin1, "not UTF-8");
        assertMessage(folder, "is a folder");
    }

    private static void assertMessage(Path path, String expected) {
        DataException e = assertThrows(DataException.class, () -> PairFileReader.read(path));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void theBundledDataIsTheSeedsSlice() {
        PairFile bundled = PairFileReader.readBundled();
        assertEquals(10_000, bundled.pairs().size());
        assertEquals(new SentencePair("Go.", "Va !", 1), bundled.pairs().get(0));
        Corpus corpus = Corpus.build(bundled, Level.CHAR, 0.2);
        assertEquals(70 + 4, corpus.sourceVocabulary().size(), "70 input characters, as the seed counts");
        assertEquals(91 + 4, corpus.targetVocabulary().size(), "91 target characters plus the seed's tab and newline");
        assertEquals(16, corpus.maxSourceLength());
        assertEquals(57, corpus.maxTargetLength());
        assertEquals(8000, corpus.training().size());
        assertEquals(2000, corpus.validation().size());
    }
}
