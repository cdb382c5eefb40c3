package dev.seq2seq.translator.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.nn.rnn.RecurrentState;
import dev.seq2seq.translator.TinyData;
import dev.seq2seq.translator.data.Level;
import dev.seq2seq.translator.data.Padding;
import dev.seq2seq.translator.data.Vocabulary;
import dev.seq2seq.translator.train.TrainingRun;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A decoding run's fast path ({@link Seq2SeqModel#decoding()}: token steppers for one to three
 * sentences) against the model's own encode and step: the same states and scores, bit for bit.
 */
class DecodingTest {

    @ParameterizedTest(name = "{0}, {1} padding, batch {2}")
    @CsvSource({"LSTM,MASKED,1", "LSTM,KERAS,2", "GRU,MASKED,3", "GRU,KERAS,1", "LSTM,MASKED,5"})
    void theDecodingPathGivesTheModelsNumbers(Cell cell, Padding padding, int batch) throws Exception {
        TrainingRun run = TrainingRun.start(TinyData.distinctPairs(12), TinyData.settings(1, 4, 0.01f, 0), Level.CHAR,
                cell, 24, padding);
        Seq2SeqModel model = run.model();
        int sourceSize = model.sourceVocabulary().size();
        int steps = 6;
        int[] source = new int[steps * batch];
        for (int i = 0; i < source.length; i++) {
            source[i] = Vocabulary.START + 1 + (i * 7) % (sourceSize - Vocabulary.START - 1);
        }
        int[] lengths = padding == Padding.KERAS ? null : filled(batch, steps);
        try (Tape.Scope ignored = Tape.pause()) {
            Seq2SeqModel.Decoding decoding = model.decoding();
            RecurrentState expected = model.encode(source, steps, lengths);
            RecurrentState actual = decoding.encode(source, steps, lengths);
            assertArrayEquals(expected.h().toArray(), actual.h().toArray(), "encoder state");
            int[] previous = filled(batch, Vocabulary.START);
            for (int t = 0; t < 5; t++) {
                Seq2SeqModel.StepResult fromModel = model.step(expected, previous);
                Seq2SeqModel.StepResult fromDecoding = decoding.step(actual, previous);
                assertArrayEquals(fromModel.logits().toArray(), fromDecoding.logits().toArray(), "scores at step " + t);
                expected = fromModel.state();
                actual = fromDecoding.state();
                previous = fromModel.argmax();
            }
        }
    }

    private static int[] filled(int size, int value) {
        int[] values = new int[size];
        Arrays.fill(values, value);
        return values;
    }
}
