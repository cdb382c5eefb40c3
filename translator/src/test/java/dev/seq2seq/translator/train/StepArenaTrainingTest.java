package dev.seq2seq.translator.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.translator.TinyData;
import dev.seq2seq.translator.data.Corpus;
import dev.seq2seq.translator.data.Level;
import dev.seq2seq.translator.data.Padding;
import dev.seq2seq.translator.model.Architecture;
import dev.seq2seq.translator.model.Attention;
import dev.seq2seq.translator.model.Cell;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Training with a tape that recycles its steps' arrays gives the same weights, bit for bit, as
 * training with fresh arrays: no array of a step is used after the step, and every reused array
 * starts as zeros. The batches have rows of several lengths, so arrays of some lengths are kept
 * and others let go from step to step.
 */
class StepArenaTrainingTest {
    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("the seed's model, Keras padding",
                        Architecture.plain(Level.CHAR, Cell.LSTM, 16, Padding.KERAS)),
                Arguments.of("LSTM, general attention, bidirectional, 2 layers, dropout",
                        Architecture.plain(Level.CHAR, Cell.LSTM, 16, Padding.MASKED).withAttention(Attention.GENERAL)
                                .withBidirectional(true).withLayers(2).withDropout(0.3f)),
                Arguments.of("GRU, additive attention, words",
                        Architecture.plain(Level.WORD, Cell.GRU, 16, Padding.MASKED)
                                .withAttention(Attention.ADDITIVE)),
                Arguments.of("LSTM, dot attention, words, dropout",
                        Architecture.plain(Level.WORD, Cell.LSTM, 16, Padding.MASKED).withAttention(Attention.DOT)
                                .withDropout(0.2f)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void recycledArraysTrainTheSameWeightsAsFreshOnes(String name, Architecture architecture) throws Exception {
        Tape arenaTape = Tape.withStepArena();
        List<Tensor> withArena = train(architecture, arenaTape);
        List<Tensor> withoutArena = train(architecture, new Tape());
        assertEquals(withoutArena.size(), withArena.size());
        for (int p = 0; p < withArena.size(); p++) {
            assertArrayEquals(withoutArena.get(p).toArray(), withArena.get(p).toArray(), withArena.get(p).name());
        }
        assertTrue(arenaTape.arena().floatsReused() > arenaTape.arena().floatsAllocated(),
                "most of the steps' arrays came back from earlier steps: reused " + arenaTape.arena().floatsReused()
                        + " floats, allocated " + arenaTape.arena().floatsAllocated());
        assertTrue(arenaTape.arena().floatsGivenBack() > 0, "backward gave outputs back before the step ended");
    }

    /** Three epochs of batches of 6 over 36 pairs with this tape; the trained weights. */
    private static List<Tensor> train(Architecture architecture, Tape tape) throws Exception {
        TrainingRun run = TrainingRun.start(TinyData.distinctPairs(36), TinyData.settings(3, 6, 0.01f, 0),
                architecture);
        List<Corpus.Example> examples = run.corpus().training();
        long step = 0;
        for (int epoch = 1; epoch <= 3; epoch++) {
            for (int from = 0; from + 6 <= examples.size(); from += 6) {
                Trainer.step(run.model(), run.optimizer(), tape, run.model().batch(examples.subList(from, from + 6)),
                        true, epoch, from / 6, ++step);
            }
        }
        return run.model().parameters();
    }
}
