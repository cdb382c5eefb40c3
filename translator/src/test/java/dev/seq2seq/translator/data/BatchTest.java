package dev.seq2seq.translator.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchTest {

    private static Corpus corpus() {
        return Corpus.build(new PairFile("t", "t", "", List.of(new SentencePair("ab", "xy", 1),
                new SentencePair("b", "y", 2)), List.of()), Level.CHAR, 0);
    }

    @Test
    void vocabularyIsReservedIdsThenSortedTokens() {
        Vocabulary vocabulary = corpus().targetVocabulary();
        assertEquals(6, vocabulary.size());
        assertEquals("\t", vocabulary.token(Vocabulary.START));
        assertEquals("\n", vocabulary.token(Vocabulary.END));
        assertEquals(4, vocabulary.id("x"));
        assertEquals(5, vocabulary.id("y"));
        assertEquals(Vocabulary.UNKNOWN, vocabulary.id("z"));
        assertEquals(vocabulary, Vocabulary.of(vocabulary.dataTokens()));
    }

    @Test
    void maskedBatchShiftsTheTargetAndMasksThePadding() {
        Corpus corpus = corpus();
        Batch batch = Batch.of(corpus.training(), Padding.MASKED, 0, 0);
        int x = 4;
        int y = 5;
        // time-major, 2 rows: targets "xy" and "y"
        assertEquals(3, batch.targetSteps());
        assertArrayEquals(new int[] {Vocabulary.START, Vocabulary.START, x, y, y, Vocabulary.PAD}, batch.decoderInputs());
        assertArrayEquals(new int[] {x, y, y, Vocabulary.END, Vocabulary.END, Vocabulary.PAD}, batch.decoderTargets());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 0}, batch.targetMask());
        assertArrayEquals(new int[] {3, 2}, batch.targetLengths());
        assertArrayEquals(new int[] {2, 1}, batch.sourceLengths());
        assertEquals(5, batch.realTargets());
    }

    @Test
    void kerasBatchPadsToTheDataAndMasksNothing() {
        Batch batch = Batch.of(corpus().training(), Padding.KERAS, 4, 6);
        assertEquals(4, batch.sourceSteps());
        assertEquals(6, batch.targetSteps());
        assertNull(batch.sourceLengths());
        assertNull(batch.targetLengths());
        assertEquals(12, batch.realTargets());
        assertEquals(Vocabulary.PAD, batch.decoderTargets()[11]);
    }

}
