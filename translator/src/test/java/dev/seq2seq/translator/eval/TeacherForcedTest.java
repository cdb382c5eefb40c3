package dev.seq2seq.translator.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.translator.TinyData;
import dev.seq2seq.translator.data.Corpus;
import dev.seq2seq.translator.data.Level;
import dev.seq2seq.translator.data.Padding;
import dev.seq2seq.translator.model.Cell;
import dev.seq2seq.translator.model.Seq2SeqModel;
import dev.seq2seq.translator.train.TrainingRun;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The teacher-forced figures of held-out pairs, which batch them by length: the same bits for any
 * order of the same pairs, and the figures of batches in the given order up to rounding.
 */
class TeacherForcedTest {
    private static final int BATCH = 8;

    @Test
    void anyOrderOfThePairsGivesTheSameFiguresAndTheyAreThoseOfUnsortedBatches() throws Exception {
        TrainingRun run = TrainingRun.start(TinyData.distinctPairs(60), TinyData.settings(1, BATCH, 0.01f, 0.5),
                Level.CHAR, Cell.LSTM, 16, Padding.MASKED);
        Seq2SeqModel model = run.model();
        List<Corpus.Example> examples = run.corpus().validation();
        Seq2SeqModel.BatchStats given = Evaluation.teacherForced(model, examples, BATCH);

        List<Corpus.Example> shuffled = new ArrayList<>(examples);
        Collections.shuffle(shuffled, new Random(3));
        Seq2SeqModel.BatchStats reordered = Evaluation.teacherForced(model, shuffled, BATCH);
        assertEquals(given, reordered, "the same pairs in another order");

        Seq2SeqModel.BatchStats inOrder = new Seq2SeqModel.BatchStats(0, 0, 0);
        try (Tape.Scope ignored = Tape.pause()) {
            for (int from = 0; from < shuffled.size(); from += BATCH) {
                inOrder = inOrder.plus(model.measure(model.batch(
                        shuffled.subList(from, Math.min(shuffled.size(), from + BATCH)))));
            }
        }
        assertEquals(inOrder.positions(), given.positions(), "real target positions");
        assertEquals(inOrder.correct(), given.correct(), "positions guessed right");
        assertEquals(inOrder.lossSum(), given.lossSum(), 1e-6 * Math.abs(inOrder.lossSum()), "loss summed");
    }
}
