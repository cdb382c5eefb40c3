package dev.seq2seq.translator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.nn.WeightPrecision;
import dev.seq2seq.translator.decode.BatchTranslator;
import dev.seq2seq.translator.decode.DecodeOptions;
import dev.seq2seq.translator.decode.SentenceTranslation;
import dev.seq2seq.translator.decode.Translation;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The library's entry point: what it returns, that it prints nothing, and that threads may share it. */
class TranslatorTest {
    private static final List<String> SENTENCES = List.of("Go.", "I won!", "Who are you?", "Help me.", "Run!",
            "I am cold.", "Wait.", "He ran.");

    @TempDir
    static Path folder;
    static Path attentionModel;
    static Path plainModel;

    @BeforeAll
    static void train() throws Exception {
        attentionModel = TinyModels.attention(folder.resolve("attention.safetensors"));
        plainModel = TinyModels.plain(folder.resolve("plain.safetensors"));
    }

    @Test
    void translatesAsTheBatchTranslatorDoesWithTheCommandLinesDefaults() throws IOException {
        Translator translator = Translator.load(attentionModel);
        DecodeOptions options = translator.defaultOptions();
        assertEquals(DecodeOptions.DEFAULT_BEAM, options.beam());
        assertEquals(1, options.nBest());
        List<String> expected = new BatchTranslator(translator.model(), options, 3)
                .translate(SENTENCES, new PrintStream(OutputStream.nullOutputStream()));
        assertEquals(expected, translator.translate(SENTENCES));
        assertTrue(expected.stream().distinct().count() > 2, "a trained model, different outputs: " + expected);
    }

    /** bf16 step matrices: the rounded copy is what it decodes with, greedy one sentence at a time as in a batch. */
    @Test
    void loadsWithBf16StepMatrices() throws IOException {
        Translator translator = Translator.load(plainModel, WeightPrecision.BF16);
        assertEquals(WeightPrecision.BF16, translator.model().decodingWeights());
        assertEquals(WeightPrecision.FLOAT32, Translator.load(plainModel).model().decodingWeights());
        DecodeOptions greedy = translator.defaultOptions().withBeam(1);
        List<String> oneAtATime = new ArrayList<>();
        for (String sentence : SENTENCES) {
            oneAtATime.addAll(translator.translate(List.of(sentence), greedy).stream()
                    .map(result -> result.nBest().get(0).text()).toList());
        }
        List<String> batched = translator.translate(SENTENCES, greedy).stream()
                .map(result -> result.nBest().get(0).text()).toList();
        assertEquals(batched, oneAtATime);
    }

    @Test
    void nBestComesWithScoresAlignmentsAndWarningsAsData() throws IOException {
        Translator translator = Translator.load(attentionModel);
        assertTrue(translator.attends());
        List<SentenceTranslation> result = translator.translate(List.of("I won§", "", "Go."),
                translator.defaultOptions().withNBest(3));
        assertEquals(3, result.size());
        SentenceTranslation first = result.get(0);
        assertEquals("I won§", first.source());
        assertEquals(List.of("§"), first.unknownTokens(), "the unknown character is named, not printed");
        assertTrue(first.warnings(translator.config().level().unit(), translator.config().maxSourceLength())
                .get(0).contains("'§' (U+00A7)"));
        assertEquals(3, first.nBest().size());
        for (int k = 1; k < first.nBest().size(); k++) {
            assertTrue(first.nBest().get(k - 1).score() >= first.nBest().get(k).score(), "best first");
        }
        Translation best = first.best();
        assertNotNull(best.attention());
        assertEquals(best.outputTokens().size(), best.attention().length);
        assertEquals(best.outputTokens().size(), best.alignment().split(" ").length);
        assertEquals("", result.get(1).best().text(), "a blank sentence translates to nothing");
        assertTrue(result.get(2).unknownTokens().isEmpty());
        assertFalse(result.get(2).longerThanTraining());
    }

    @Test
    void aModelWithoutAttentionHasNoAlignmentAndRefusesUnknownReplacement() throws IOException {
        Translator translator = Translator.load(plainModel);
        Translation best = translator.translate(List.of("Go."), translator.defaultOptions()).get(0).best();
        assertNull(best.attention());
        assertEquals("", best.alignment());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> translator.translate(List.of("Go."), translator.defaultOptions().withReplaceUnknown(true)));
        assertTrue(refused.getMessage().contains("attention"), refused.getMessage());
    }

    @Test
    void aFileThatIsNoCheckpointIsRefusedByName() throws IOException {
        Path notAModel = Files.writeString(folder.resolve("notes.safetensors"), "hello");
        IOException refused = assertThrows(IOException.class, () -> Translator.load(notAModel));
        assertTrue(refused.getMessage().contains("notes.safetensors"), refused.getMessage());
        assertThrows(IOException.class, () -> Translator.load(folder.resolve("missing.safetensors")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"attention", "plain"})
    void manyThreadsSharingOneTranslatorGetWhatOneThreadGets(String kind) throws Exception {
        Translator translator = Translator.load(kind.equals("plain") ? plainModel : attentionModel);
        List<DecodeOptions> options = List.of(translator.defaultOptions(), translator.defaultOptions().withBeam(1),
                translator.defaultOptions().withBeam(3).withNBest(2));
        // Alone first: every sentence set under every option set.
        List<List<String>> inputs = new ArrayList<>();
        for (int i = 0; i < SENTENCES.size(); i++) {
            inputs.add(SENTENCES.subList(i, Math.min(SENTENCES.size(), i + 1 + i % 4)));
        }
        List<List<List<SentenceTranslation>>> alone = new ArrayList<>();
        for (DecodeOptions option : options) {
            List<List<SentenceTranslation>> perInput = new ArrayList<>();
            for (List<String> input : inputs) {
                perInput.add(translator.translate(input, option));
            }
            alone.add(perInput);
        }
        // Then 8 threads, 96 calls, interleaved.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int call = 0; call < 96; call++) {
                int o = call % options.size();
                int i = (call / options.size()) % inputs.size();
                calls.add(pool.submit(() -> {
                    List<SentenceTranslation> shared = translator.translate(inputs.get(i), options.get(o));
                    assertSame(alone.get(o).get(i), shared, "options " + o + ", input " + i);
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The same texts, scores and attention weights, bit for bit. */
    private static void assertSame(List<SentenceTranslation> expected, List<SentenceTranslation> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int s = 0; s < expected.size(); s++) {
            List<Translation> e = expected.get(s).nBest();
            List<Translation> a = actual.get(s).nBest();
            assertEquals(e.size(), a.size(), what);
            for (int k = 0; k < e.size(); k++) {
                assertEquals(e.get(k).text(), a.get(k).text(), what);
                assertEquals(e.get(k).score(), a.get(k).score(), 0.0, what);
                assertTrue(java.util.Arrays.deepEquals(e.get(k).attention(), a.get(k).attention()), what);
            }
        }
    }
}
