package dev.seq2seq.app.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void chrFOfIdenticalDisjointAndPartialText() {
        assertEquals(100.0, ChrF.score(List.of("Je suis là."), List.of("Je suis là.")), 1e-9);
        assertEquals(0.0, ChrF.score(List.of("xyz"), List.of("abc")), 1e-9);
        // "ab" against "abc": 1-grams P = 2/2, R = 2/3; 2-grams P = 1/1, R = 1/2; 3-grams only in the
        // reference (no hypothesis 3-grams: that order is left out). P = 1, R = 7/12.
        double p = 1.0;
        double r = (2.0 / 3 + 1.0 / 2) / 2;
        double expected = 100 * 5 * p * r / (4 * p + r);
        assertEquals(expected, ChrF.score(List.of("ab"), List.of("abc")), 1e-9);
        assertEquals(ChrF.score(List.of("a b"), List.of("abc")), ChrF.score(List.of("ab"), List.of("abc")), 1e-9,
                "whitespace is ignored");
    }

    @Test
    void bleuOfIdenticalDisjointAndShortOutput() {
        String sentence = "le chat est sur le tapis .";
        assertEquals(100.0, Bleu.score(List.of(sentence), List.of(sentence)), 1e-9);
        assertEquals(0.0, Bleu.score(List.of("un deux trois quatre"), List.of("cinq six sept huit")), 1e-9);
        // A correct prefix: all precisions 1, brevity penalty exp(1 - 7/5).
        assertEquals(100 * Math.exp(1 - 7.0 / 5), Bleu.score(List.of("le chat est sur le"), List.of(sentence)), 1e-9);
        assertEquals(List.of("Qu", "'", "est", "-", "ce", "?"), Bleu.tokens("Qu'est-ce ?"));
        assertTrue(Bleu.score(List.of("le chat est sur un tapis ."), List.of(sentence)) < 100);
    }
}
