package dev.seq2seq.translator.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.translator.TinyData;
import dev.seq2seq.translator.data.Level;
import dev.seq2seq.translator.data.Padding;
import dev.seq2seq.translator.data.Vocabulary;
import dev.seq2seq.translator.eval.ChrF;
import dev.seq2seq.translator.eval.Evaluation;
import dev.seq2seq.translator.model.Architecture;
import dev.seq2seq.translator.model.Attention;
import dev.seq2seq.translator.model.Cell;
import dev.seq2seq.translator.model.Seq2SeqModel;
import dev.seq2seq.translator.train.TrainingRun;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * --replace-unk: an unknown output token becomes the source token its step attended to most, and
 * without the option the unknown token is never chosen.
 */
class ReplaceUnknownTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final List<String> SOURCES = List.of("Go now.", "I won!", "Who are you?");

    @Test
    void eachUnknownTokenTakesTheSourceTokenOfItsStrongestWeight() {
        int a = Vocabulary.FIRST_DATA_TOKEN;
        Hypothesis hypothesis = new Hypothesis(new int[] {a, Vocabulary.UNKNOWN, a + 1, Vocabulary.UNKNOWN}, -1, -1,
                new float[][] {{0.9f, 0.05f, 0.05f}, {0.1f, 0.2f, 0.7f}, {0.4f, 0.5f, 0.1f}, {0.2f, 0.6f, 0.2f}});
        List<String> output = List.of("il", "<unk>", "a", "<unk>");
        assertEquals(List.of("il", "Kyoto", "a", "visité"),
                BatchTranslator.replaceUnknown(hypothesis, output, List.of("il", "visité", "Kyoto")));
    }

    @ParameterizedTest(name = "beam {0}")
    @ValueSource(ints = {1, 3})
    void aModelThatPrefersTheUnknownTokenCopiesItsSource(int beam) throws Exception {
        Seq2SeqModel model = attentionModelPreferringUnknown();
        int maxLength = 6;
        DecodeOptions replacing = new DecodeOptions(beam, 1, LengthPenalty.AVG, 0, maxLength, 0, true);
        List<List<Translation>> translations = new BatchTranslator(model, replacing, 2)
                .translateNBest(SOURCES, QUIET);
        for (List<Translation> nBest : translations) {
            Translation best = nBest.get(0);
            assertEquals(maxLength, best.outputTokens().size(), "every step chose the unknown token: " + best.text());
            for (int j = 0; j < best.outputTokens().size(); j++) {
                float[] weights = best.attention()[j];
                int strongest = 0;
                for (int s = 1; s < weights.length; s++) {
                    strongest = weights[s] > weights[strongest] ? s : strongest;
                }
                assertEquals(best.sourceTokens().get(strongest), best.outputTokens().get(j), "token " + j);
            }
            assertFalse(best.text().contains("<unk>"), best.text());
        }

        DecodeOptions plain = new DecodeOptions(beam, 1, LengthPenalty.AVG, 0, maxLength, 0);
        for (String text : new BatchTranslator(model, plain, 2).translate(SOURCES, QUIET)) {
            assertFalse(text.contains("<unk>"), text);
        }
    }

    @Test
    void evaluationReplacesAsTranslationDoes() throws Exception {
        TrainingRun run = TrainingRun.start(TinyData.distinctPairs(12), TinyData.settings(1, 4, 0.01f, 0),
                Architecture.plain(Level.WORD, Cell.LSTM, 16, Padding.MASKED).withAttention(Attention.GENERAL));
        Seq2SeqModel model = preferUnknown(run.model());
        DecodeOptions replacing = new DecodeOptions(2, 1, LengthPenalty.AVG, 0, 4, 0, true);
        Evaluation evaluation = Evaluation.run(model, run.corpus().training(), 4, replacing, List.of(ChrF.CHRF2));
        List<String> sources = evaluation.sentences().stream().map(Evaluation.Sentence::source).toList();
        List<String> translated = new BatchTranslator(model, replacing, 4).translate(sources, QUIET);
        for (int i = 0; i < sources.size(); i++) {
            String hypothesis = evaluation.sentences().get(i).hypothesis();
            assertFalse(hypothesis.contains("<unk>"), hypothesis);
            assertEquals(translated.get(i), hypothesis, sources.get(i));
        }
    }

    @Test
    void aModelWithoutAttentionCannotReplace() throws Exception {
        Seq2SeqModel plain = TrainingRun.start(TinyData.distinctPairs(12), TinyData.settings(1, 4, 0.01f, 0), Level.WORD,
                Cell.LSTM, 16, Padding.MASKED).model();
        DecodeOptions replacing = new DecodeOptions(1, 1, LengthPenalty.NONE, 0, 5, 0, true);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new BatchTranslator(plain, replacing, 2));
        assertTrue(refused.getMessage().contains("attention"), refused.getMessage());
    }

    private static Seq2SeqModel attentionModelPreferringUnknown() throws Exception {
        TrainingRun run = TrainingRun.start(TinyData.distinctPairs(12), TinyData.settings(1, 4, 0.01f, 0),
                Architecture.plain(Level.WORD, Cell.LSTM, 16, Padding.MASKED).withAttention(Attention.GENERAL));
        return preferUnknown(run.model());
    }

    private static Seq2SeqModel preferUnknown(Seq2SeqModel model) {
        Tensor bias = model.parameters().stream().filter(p -> p.name().equals("decoder/dense/bias")).findFirst()
                .orElseThrow();
        bias.setAt(Vocabulary.UNKNOWN, 80f);
        return model;
    }
}
