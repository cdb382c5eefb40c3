package dev.seq2seq.translator.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Capped vocabularies (train --vocab-size): the most frequent training tokens, in sorted order. */
class VocabularyTest {

    @Test
    void keepsTheMostFrequentTokensTiesGoingToTheFirstInOrder() {
        List<List<String>> sentences = List.of(List.of("b", "a", "c", "a"), List.of("d", "c", "a", "e"),
                List.of("e", "b"));
        // counts: a 3; b, c, e 2; d 1
        Vocabulary three = Vocabulary.mostFrequent(sentences, 3);
        assertEquals(List.of("a", "b", "c"), three.dataTokens());
        assertEquals(Vocabulary.UNKNOWN, three.id("e"));
        assertEquals(Vocabulary.FIRST_DATA_TOKEN, three.id("a"));
        assertEquals(List.of("a", "b", "c", "e"), Vocabulary.mostFrequent(sentences, 4).dataTokens());
        assertEquals(Vocabulary.build(sentences), Vocabulary.mostFrequent(sentences, 0));
        assertEquals(Vocabulary.build(sentences), Vocabulary.mostFrequent(sentences, 99));
    }

    @Test
    void aCappedCorpusCountsTheTrainingPairsAlone() {
        List<SentencePair> pairs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            pairs.add(new SentencePair("Go home.", "Rentre.", i + 1));
        }
        // the last pairs validate (the seed's split): their words must not earn a place
        pairs.add(new SentencePair("Zebras run.", "Zèbres courent.", 9));
        pairs.add(new SentencePair("Zebras run.", "Zèbres courent.", 10));
        PairFile file = new PairFile("test", "test", "0".repeat(64), pairs, List.of());
        Corpus capped = Corpus.build(file, Level.WORD, HeldOut.atEnd(0.2), 50, 0);
        assertEquals(8, capped.training().size());
        assertFalse(capped.sourceVocabulary().contains("Zebras"));
        assertFalse(capped.targetVocabulary().contains("Zèbres"));
        assertTrue(capped.sourceVocabulary().contains("home"));
        assertEquals(Vocabulary.UNKNOWN, capped.validation().get(0).source()[0]);

        Corpus whole = Corpus.build(file, Level.WORD, HeldOut.atEnd(0.2), 0, 0);
        assertTrue(whole.sourceVocabulary().contains("Zebras"), "uncapped, every pair's tokens have ids (the seed's)");
    }
}
