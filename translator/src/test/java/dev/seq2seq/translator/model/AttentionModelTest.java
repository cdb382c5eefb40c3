package dev.seq2seq.translator.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.nn.rnn.RecurrentState;
import dev.seq2seq.translator.TinyData;
import dev.seq2seq.translator.data.Batch;
import dev.seq2seq.translator.data.Corpus;
import dev.seq2seq.translator.data.Level;
import dev.seq2seq.translator.data.Padding;
import dev.seq2seq.translator.decode.BeamSearch;
import dev.seq2seq.translator.decode.DecodeOptions;
import dev.seq2seq.translator.decode.GreedyDecoder;
import dev.seq2seq.translator.decode.Hypothesis;
import dev.seq2seq.translator.train.TrainingRun;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The attention model (and the stacked and bidirectional encoders around it): decoding one step at
 * a time gives the teacher-forced logits to the bit (the same ops on the same rows), the attention
 * weights are zero on padded source positions, dropout acts in training only, and beam search of
 * width 1 is greedy decoding.
 */
class AttentionModelTest {

    @ParameterizedTest(name = "{0} attention, {1}, {2}, {3} padding, bidirectional {4}, {5} layers")
    @CsvSource({"GENERAL,LSTM,CHAR,MASKED,false,1", "DOT,GRU,CHAR,KERAS,false,1", "ADDITIVE,LSTM,WORD,MASKED,false,1",
        "GENERAL,GRU,WORD,KERAS,false,1", "GENERAL,LSTM,CHAR,MASKED,true,1", "ADDITIVE,GRU,WORD,MASKED,true,1",
        "DOT,LSTM,CHAR,KERAS,true,1", "GENERAL,LSTM,CHAR,MASKED,false,3", "DOT,GRU,WORD,MASKED,true,2",
        "GENERAL,LSTM,BPE,MASKED,true,1"})
    void stepByStepDecodingGivesTheTeacherForcedLogitsBitForBit(Attention attention, Cell cell, Level level,
                                                                 Padding padding, boolean bidirectional, int layers)
            throws Exception {
        TrainingRun run = TrainingRun.start(TinyData.distinctPairs(12), TinyData.settings(1, 4, 0.01f, 0),
                new Architecture(level, cell, 16, padding, attention, bidirectional, layers, 0.2f));
        Seq2SeqModel model = run.model();
        assertTrue(model.attends());
        List<Corpus.Example> examples = run.corpus().training().subList(0, 5);
        Batch batch = model.batch(examples);
        try (Tape.Scope ignored = Tape.pause()) {
            Tensor teacherForced = model.teacherForcedLogits(batch);
            int size = batch.size();
            int classes = teacherForced.dim(1);
            RecurrentState state = model.encode(batch.sourceTokens(), batch.sourceSteps(), batch.sourceLengths());
            for (int t = 0; t < batch.targetSteps(); t++) {
                Seq2SeqModel.StepResult result = model.step(state,
                        Arrays.copyOfRange(batch.decoderInputs(), t * size, (t + 1) * size));
                float[] expected = Arrays.copyOfRange(teacherForced.toArray(), t * size * classes,
                        (t + 1) * size * classes);
                assertArrayEquals(expected, result.logits().toArray(), "step " + t);
                state = result.state();
                if (padding == Padding.MASKED) {
                    Tensor weights = ((AttentionState) state).weights();
                    for (int b = 0; b < size; b++) {
                        for (int s = batch.sourceLengths()[b]; s < batch.sourceSteps(); s++) {
                            assertEquals(0f, weights.get(b, s), "a padded source position is attended to");
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} attention, 2 layers, dropout")
    @CsvSource({"NONE", "GENERAL"})
    void dropoutIsDrawnPerTrainingStepReproduciblyAndOffOtherwise(Attention attention) throws Exception {
        Architecture architecture = Architecture.plain(Level.CHAR, Cell.LSTM, 16, Padding.MASKED).withAttention(attention)
                .withLayers(2);
        TrainingRun withDropout = TrainingRun.start(TinyData.distinctPairs(12), TinyData.settings(1, 4, 0.01f, 0),
                architecture.withDropout(0.3f));
        TrainingRun without = TrainingRun.start(TinyData.distinctPairs(12), TinyData.settings(1, 4, 0.01f, 0),
                architecture);
        Batch batch = withDropout.model().batch(withDropout.corpus().training().subList(0, 4));
        try (Tape.Scope ignored = Tape.pause()) {
            float step5 = withDropout.model().loss(batch, true, 5).at(0);
            assertEquals(step5, withDropout.model().loss(batch, true, 5).at(0), "the same step, the same masks");
            assertTrue(step5 != withDropout.model().loss(batch, true, 6).at(0), "another step, other masks");
            float plain = without.model().loss(batch, true, 5).at(0);
            assertTrue(step5 != plain, "dropout changes the training loss");
            // the same weights (same seed) and no dropout outside training: validation and decoding agree
            assertArrayEquals(without.model().teacherForcedLogits(batch).toArray(),
                    withDropout.model().teacherForcedLogits(batch).toArray());
        }
    }

    @ParameterizedTest(name = "{0} attention")
    @CsvSource({"GENERAL", "ADDITIVE"})
    void beamOneIsGreedyDecodingForAnAttentionModel(Attention attention) throws Exception {
        TrainingRun run = TrainingRun.start(TinyData.distinctPairs(20), TinyData.settings(1, 4, 0.01f, 0),
                Architecture.plain(Level.CHAR, Cell.LSTM, 16, Padding.MASKED).withAttention(attention).withLayers(2));
        Seq2SeqModel model = run.model();
        List<int[]> sources = new ArrayList<>();
        run.corpus().training().forEach(example -> sources.add(example.source()));
        List<int[]> greedy = GreedyDecoder.decode(model, sources, 10, 7);
        List<List<Hypothesis>> beam = BeamSearch.decode(model.decoding(), sources, DecodeOptions.greedy(10), 3);
        for (int i = 0; i < sources.size(); i++) {
            assertArrayEquals(greedy.get(i), beam.get(i).get(0).tokens(), "sentence " + i);
        }
        List<List<Hypothesis>> wide = BeamSearch.decode(model.decoding(), sources,
                new DecodeOptions(4, 4, dev.seq2seq.translator.decode.LengthPenalty.AVG, 0, 10, 0), 5);
        assertEquals(sources.size(), wide.size());
        wide.forEach(nBest -> assertEquals(4, nBest.size()));
    }
}
