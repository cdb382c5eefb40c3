package dev.seq2seq.translator.eval;

import java.util.Locale;

/**
 * A corpus score as sacreBLEU reports it: the metric's name (chrF2, chrF2++, BLEU), the score in
 * [0, 100], the signature that says how it was computed (without sacreBLEU's version field: the
 * computation is ours), and, for BLEU, the details sacreBLEU prints after the score.
 */
public record MetricScore(String name, double score, String signature, String details) {

    /** One line: {@code chrF2 = 27.10  nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no}, then any details. */
    public String line() {
        return String.format(Locale.ROOT, "%s = %.2f  %s", name, score, signature)
                + (details.isEmpty() ? "" : "  " + details);
    }

    /** The score rounded to two decimals, as sacreBLEU's JSON gives it. */
    public double rounded() {
        return Math.round(score * 100) / 100.0;
    }

    /** The nrefs field: the number of references per sentence, or "var" when it varies. */
    static String referenceCount(References references) {
        return references.sameCount() ? Integer.toString(references.maxCount()) : "var";
    }
}
