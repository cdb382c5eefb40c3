package dev.seq2seq.translator.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The metrics' arithmetic on cases small enough to work out by hand (SacreBleuGoldenTest has the rest). */
class MetricsTest {

    private static double chrF(String hypothesis, String reference) {
        return ChrF.CHRF2.corpus(List.of(hypothesis), References.single(List.of(reference))).score();
    }

    private static double bleu(String hypothesis, String... references) {
        return new Bleu(BleuTokenizer.THIRTEEN_A).corpus(List.of(hypothesis), new References(List.of(List.of(references))))
                .score();
    }

    @Test
    void chrFOfIdenticalDisjointAndPartialText() {
        assertEquals(100.0, chrF("Je suis là.", "Je suis là."), 1e-9);
        assertEquals(0.0, chrF("xyz", "abc"), 1e-9);
        // "ab" against "abc": 1-grams P = 2/2, R = 2/3; 2-grams P = 1/1, R = 1/2; 3-grams only in the
        // reference (no hypothesis 3-grams: that order is left out). P = 1, R = 7/12.
        double p = 1.0;
        double r = (2.0 / 3 + 1.0 / 2) / 2;
        assertEquals(100 * 5 * p * r / (4 * p + r), chrF("ab", "abc"), 1e-9);
        assertEquals(chrF("ab", "abc"), chrF("a b", "abc"), 1e-9, "whitespace is ignored");
        assertEquals(chrF("ab", "abc"), chrF("a\u00a0b\u202f", "abc"), 1e-9, "so are no-break spaces");
    }

    @Test
    void chrFTakesTheBestReferenceOfEachSentence() {
        References two = new References(List.of(List.of("xyz", "Je suis là.")));
        assertEquals(100.0, ChrF.CHRF2.corpus(List.of("Je suis là."), two).score(), 1e-9);
        assertEquals("nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no", ChrF.CHRF2.signature(two));
        References varying = new References(List.of(List.of("a"), List.of("b", "c")));
        assertEquals("nrefs:var|case:mixed|eff:yes|nc:6|nw:2|space:no", ChrF.CHRF2_PLUS_PLUS.signature(varying));
        assertEquals("chrF2++", ChrF.CHRF2_PLUS_PLUS.name());
    }

    @Test
    void chrFPlusPlusSplitsOnePunctuationMarkOffAWord() {
        assertEquals(List.of("(hi", ")", "Bonjour", "!", "?", "'", "a"), ChrF.punctuationSplit("(hi) Bonjour! ? 'a"));
    }

    @Test
    void bleuOfIdenticalDisjointAndShortOutput() {
        String sentence = "le chat est sur le tapis .";
        assertEquals(100.0, bleu(sentence, sentence), 1e-9);
        assertEquals(0.0, bleu("un deux trois quatre", "cinq six sept huit"), 1e-9);
        // A correct prefix: all precisions 1, brevity penalty exp(1 - 7/5).
        assertEquals(100 * Math.exp(1 - 7.0 / 5), bleu("le chat est sur le", sentence), 1e-9);
        assertTrue(bleu("le chat est sur un tapis .", sentence) < 100);
        // the closest reference length counts: 5 words against references of 7 and 5
        assertEquals(100.0, bleu("le chat est sur le", sentence, "le chat est sur le"), 1e-9);
    }

    @Test
    void bleuSmoothsAMissingOrderTheNistWay() {
        // "a b c d" against "a b c e": p1 = 3/4, p2 = 2/3, p3 = 1/2, p4 = 0 -> 1 / (2 * 1)
        double expected = 100 * Math.exp((Math.log(3.0 / 4) + Math.log(2.0 / 3) + Math.log(1.0 / 2) + Math.log(1.0 / 2)) / 4);
        assertEquals(expected, bleu("a b c d", "a b c e"), 1e-9);
    }

    @Test
    void tokenizersSplitWhatTheirStandardsSplit() {
        assertEquals("Qu'est-ce ?", BleuTokenizer.THIRTEEN_A.apply("Qu'est-ce ?"));
        assertEquals("Qu ' est - ce ?", BleuTokenizer.INTL.apply("Qu'est-ce ?"));
        assertEquals("3,50 € ( environ ) .", BleuTokenizer.THIRTEEN_A.apply("3,50 € (environ)."));
        assertEquals(BleuTokenizer.INTL, BleuTokenizer.named("intl"));
        assertThrows(IllegalArgumentException.class, () -> BleuTokenizer.named("moses"));
    }

    @Test
    void mismatchedCountsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> ChrF.CHRF2.corpus(List.of("a", "b"), References.single(List.of("a"))));
        assertThrows(IllegalArgumentException.class, () -> new References(List.of(List.of())));
    }
}
