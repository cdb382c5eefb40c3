package dev.seq2seq.translator.data;

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
        assertEquals(List.of(), pairs.skipped());
    }

    @Test
    void malformedLinesAreSkippedAndReportedWithTheirNumbers() throws Exception {
        PairFile pairs = PairFileReader.read(file("bad.txt",
                "Go.\tVa !\nno tab here\n\tonly French\nHi.\t \n\nRun!\tCours !\n"));
        assertEquals(2, pairs.pairs().size());
        assertEquals(List.of(new PairFile.SkippedLines(PairFileReader.MALFORMED, 3, List.of(2, 3, 4))), pairs.skipped());
        assertTrue(pairs.skippedSummaries().get(0).contains("lines 2, 3, 4"), pairs.skippedSummaries().toString());
        assertEquals(6, pairs.pairs().get(1).line(), "line numbers count the blank line");
    }

    @Test
    void sentencesOverTheLimitAreSkippedAndReportedWithTheirNumbers() throws Exception {
        String limit = "a".repeat(Limits.MAX_SENTENCE_CHARACTERS);
        PairFile pairs = PairFileReader.read(file("long.txt", "Go.\tVa !\n" + limit + "b\tx\nx\t" + limit + "\n"
                + limit + "\t" + limit + "\nno tab\n"));
        assertEquals(List.of(1, 3, 4), pairs.pairs().stream().map(SentencePair::line).toList(), "the limit itself is allowed");
        assertEquals(new PairFile.SkippedLines(PairFileReader.TOO_LONG, 1, List.of(2)), pairs.skipped().get(0));
        assertEquals(new PairFile.SkippedLines(PairFileReader.MALFORMED, 1, List.of(5)), pairs.skipped().get(1));
        assertTrue(pairs.skippedSummaries().get(0).contains("longer than 1000 characters; line 2)"),
                pairs.skippedSummaries().toString());
    }

    @Test
    void theFileIsRecognisedByItsAbsolutePathAndItsContent() throws Exception {
        Path path = file("a.txt", "Go.\tVa !\n");
        PairFile pairs = PairFileReader.read(path);
        assertEquals(path.toAbsolutePath().normalize().toString(), pairs.data());
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("Go.\tVa !\n".getBytes(StandardCharsets.UTF_8))), pairs.sha256());
        assertEquals(PairFileReader.BUNDLED_DATA, PairFileReader.readBundled().data());
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
        Path invalidLater = folder.resolve("invalid-line-3.txt");
        Files.write(invalidLater, "Go.\tVa !\nHi.\tSalut\nCaf\u00e9\tx\n".getBytes(StandardCharsets.ISO_8859_1));
        assertMessage(invalidLater, "invalid-line-3.txt: line 3 is not UTF-8 text (an invalid byte at column 4)");
        Path oneLongLine = folder.resolve("one-long-line.txt");
        Files.write(oneLongLine, new byte[Limits.MAX_LINE_BYTES + 10]);
        assertMessage(oneLongLine, "not a text file (a zero byte at offset 0, line 1)");
        Files.writeString(oneLongLine, "x".repeat(Limits.MAX_LINE_BYTES + 1));
        assertMessage(oneLongLine, "line 1 is longer than 65536 bytes");
        if (Files.isReadable(Path.of("/dev/zero"))) {
            assertMessage(Path.of("/dev/zero"), "/dev/zero: not a text file");
        }
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
