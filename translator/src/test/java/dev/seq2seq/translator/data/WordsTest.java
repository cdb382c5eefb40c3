package dev.seq2seq.translator.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The two word rules: what they cut, and that joining gives the text back. */
class WordsTest {

    @Test
    void wholeKeepsInnerApostrophesAndHyphensAndSplitsPunctuation() {
        assertEquals(List.of("I", "can't", "go", "."), Words.WHOLE.tokens("I can't go."));
        assertEquals(List.of("Qu'est-ce", "que", "c'est", "?"), Words.WHOLE.tokens("Qu'est-ce que c'est\u202f?"));
        assertEquals("Je suis là.", Words.WHOLE.join(Words.WHOLE.tokens("Je suis là.")));
        assertEquals("Qu'est-ce que c'est ?", Words.WHOLE.join(Words.WHOLE.tokens("Qu'est-ce que c'est\u202f?")));
    }

    @Test
    void splitEndsAWordAfterAnApostropheAndStartsOneAtAHyphen() {
        assertEquals(List.of("Qu'", "est", "-ce", "que", "c'", "est", "?"),
                Words.SPLIT.tokens("Qu'est-ce que c'est\u202f?"));
        assertEquals(List.of("Aidez", "-nous", "!"), Words.SPLIT.tokens("Aidez-nous !"));
        assertEquals(List.of("J’", "ai", "vu", "l'", "arc", "-en", "-ciel", "."),
                Words.SPLIT.tokens("J’ai vu l'arc-en-ciel."));
        assertEquals(List.of("I", "can'", "t", "go", "."), Words.SPLIT.tokens("I can't go."));
        // a hyphen or an apostrophe not between letters is a token of its own, as with WHOLE
        assertEquals(List.of("It'", "s", "-", "5", "'", "C", "-", "ish", "."), Words.SPLIT.tokens("It's -5 'C - ish."));
        assertEquals(List.of("vingt", "-deux", "3", "-4"), Words.SPLIT.tokens("vingt-deux 3-4"));
        assertEquals(List.of("Dis", "-m'", "en", "davantage", "."), Words.SPLIT.tokens("Dis-m'en davantage."));
    }

    @Test
    void splitJoinsWhatItCut() {
        for (String text : List.of("Qu'est-ce que c'est ?", "Aidez-nous !", "J’ai vu l'arc-en-ciel.", "I can't go.",
                "Rock'n'roll, peut-être.", "Dis-m'en davantage.", "vingt-deux 3-4", "It's - ok")) {
            assertEquals(text, Words.SPLIT.join(Words.SPLIT.tokens(text)), text);
        }
        // a hyphen that opened a word after a space was a token of its own: it comes back spaced, as with WHOLE
        assertEquals("- 5", Words.SPLIT.join(Words.SPLIT.tokens("-5")));
        assertEquals(Words.WHOLE.join(Words.WHOLE.tokens("-5")), Words.SPLIT.join(Words.SPLIT.tokens("-5")));
    }

    /**
     * On every sentence of the bundled pairs, both sides, the two rules give the same text back:
     * references normalised by either rule are the same, so chrF2 and BLEU compare across them.
     */
    @Test
    void bothRulesGiveEveryBundledSentenceBackAlike() {
        int cut = 0;
        for (SentencePair pair : PairFileReader.readBundled().pairs()) {
            for (String text : List.of(pair.source(), pair.target())) {
                List<String> split = Words.SPLIT.tokens(text);
                assertEquals(Words.WHOLE.join(Words.WHOLE.tokens(text)), Words.SPLIT.join(split), text);
                cut += split.size() > Words.WHOLE.tokens(text).size() ? 1 : 0;
            }
        }
        assertTrue(cut > 3000, "many sentences hold an elided or hyphenated word: " + cut);
    }
}
