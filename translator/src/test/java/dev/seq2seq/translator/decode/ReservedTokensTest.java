package dev.seq2seq.translator.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.translator.TinyData;
import dev.seq2seq.translator.data.Level;
import dev.seq2seq.translator.data.Padding;
import dev.seq2seq.translator.data.Vocabulary;
import dev.seq2seq.translator.model.Cell;
import dev.seq2seq.translator.model.Seq2SeqModel;
import dev.seq2seq.translator.train.TrainingRun;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whatever a model scores highest, a translation holds only data tokens: never padding, start or unknown. */
class ReservedTokensTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void aModelThatPrefersReservedTokensStillTranslatesIntoText() throws Exception {
        for (Level level : Level.values()) {
            TrainingRun run = TrainingRun.start(TinyData.distinctPairs(12), TinyData.settings(1, 4, 0.01f, 0), level,
                    Cell.LSTM, 16, Padding.MASKED);
            Seq2SeqModel model = run.model();
            Tensor bias = model.parameters().stream().filter(p -> p.name().equals("decoder/dense/bias")).findFirst()
                    .orElseThrow();
            bias.setAt(Vocabulary.PAD, 100f);
            bias.setAt(Vocabulary.START, 90f);
            bias.setAt(Vocabulary.UNKNOWN, 80f);
            List<String> translations = new BatchTranslator(model, 10, 4).translate(List.of("Go.", "Hi.", "Run!"), QUIET);
            assertEquals(3, translations.size());
            for (String translation : translations) {
                for (String reserved : Vocabulary.reserved()) {
                    assertFalse(translation.contains(reserved), level + ": '" + reserved + "' in " + translation);
                }
                assertTrue(translation.length() > 0, "data tokens are chosen instead: " + translations);
            }
        }
    }
}
