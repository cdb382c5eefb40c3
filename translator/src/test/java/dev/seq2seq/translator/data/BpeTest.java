package dev.seq2seq.translator.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Byte-pair encoding: the merges learned, the pieces of a word, and text rebuilt from pieces. */
class BpeTest {

    /** Sennrich et al.'s example: low x5, lower x2, newest x6, widest x3. */
    private static List<List<String>> example() {
        List<List<String>> sentences = new ArrayList<>();
        sentences.addAll(Collections.nCopies(5, List.of("low")));
        sentences.addAll(Collections.nCopies(2, List.of("lower")));
        sentences.addAll(Collections.nCopies(6, List.of("newest")));
        sentences.addAll(Collections.nCopies(3, List.of("widest")));
        return sentences;
    }

    @Test
    void learnsTheMostFrequentPairsFirst() {
        // pairs: "e s" 9 and "s t</w>" 9 (a tie: the first in order wins), then "es t</w>" 9, then "l o" 7
        Bpe bpe = Bpe.learn(example(), 3);
        assertEquals(List.of("e s", "es t</w>", "l o"), bpe.merges());
        assertEquals(List.of("lo@@", "w@@", "est"), bpe.segment("lowest"));
        assertEquals(List.of("n@@", "e@@", "w@@", "est"), bpe.segment("newest"));
        assertEquals(List.of("lo@@", "w"), bpe.segment("low"));
        assertEquals(List.of("x@@", "y@@", "z"), bpe.segment("xyz"), "unseen letters stay characters");
    }

    @Test
    void stopsWhenNoPairOccursTwice() {
        Bpe bpe = Bpe.learn(example(), 1000);
        assertTrue(bpe.merges().size() < 1000);
        assertEquals(List.of("newest"), bpe.segment("newest"));
        assertEquals(List.of("widest"), bpe.segment("widest"));
        assertEquals(List.of("low"), bpe.segment("low"));
    }

    @Test
    void theSameDataGivesTheSameMergesAndAStoredListSegmentsAlike() {
        List<List<String>> sentences = new ArrayList<>();
        for (SentencePair pair : PairFileReader.readBundled().pairs().subList(0, 3000)) {
            sentences.add(Words.WHOLE.tokens(pair.target()));
        }
        Bpe learned = Bpe.learn(sentences, 500);
        assertEquals(500, learned.merges().size());
        assertEquals(learned.merges(), Bpe.learn(sentences, 500).merges());
        Bpe stored = Bpe.of(learned.merges());
        for (List<String> words : sentences.subList(0, 200)) {
            assertEquals(learned.pieces(words), stored.pieces(words));
        }
    }

    @ParameterizedTest
    @EnumSource(Words.class)
    void piecesJoinBackIntoTheWordLevelText(Words words) {
        List<List<String>> targets = new ArrayList<>();
        List<SentencePair> pairs = PairFileReader.readBundled().pairs();
        for (SentencePair pair : pairs.subList(0, 2000)) {
            targets.add(words.tokens(pair.target()));
        }
        Tokenizer tokenizer = new Tokenizer(Level.BPE, words, Bpe.learn(targets, 300));
        int cut = 0;
        for (SentencePair pair : pairs) {
            List<String> pieces = tokenizer.tokens(pair.target());
            cut += pieces.size() > words.tokens(pair.target()).size() ? 1 : 0;
            assertEquals(words.join(words.tokens(pair.target())), tokenizer.join(pieces), pair.target());
            assertEquals(tokenizer.normalize(pair.target()), tokenizer.join(pieces), pair.target());
        }
        assertTrue(cut > 1000, "most sentences hold a word cut into pieces: " + cut);
        assertEquals(List.of("fromage", "x"), Bpe.words(List.of("fro@@", "mage", "x@@")),
                "an output cut off inside a word keeps its last piece");
    }

    @Test
    void aMalformedStoredMergeIsRefused() {
        for (String bad : List.of("ab", " a", "a ", "a b c")) {
            assertThrows(IllegalArgumentException.class, () -> Bpe.of(List.of("e s", bad)), bad);
        }
    }
}
