package dev.seq2seq.translator.eval;

import java.util.ArrayList;
import java.util.List;

/** A corpus-level translation metric: hypotheses and their references in, a score with its signature out. */
public interface Metric {

    MetricScore corpus(List<String> hypotheses, References references);

    /** The metrics named (bleu, chrf, chrf++), BLEU with {@code tokenizer}; an unknown name is refused. */
    static List<Metric> named(List<String> names, BleuTokenizer tokenizer) {
        List<Metric> metrics = new ArrayList<>(names.size());
        for (String name : names) {
            metrics.add(switch (name) {
                case "bleu" -> new Bleu(tokenizer);
                case "chrf" -> ChrF.CHRF2;
                case "chrf++" -> ChrF.CHRF2_PLUS_PLUS;
                default -> throw new IllegalArgumentException("--metrics: unknown metric '" + name
                        + "'; expected bleu, chrf or chrf++");
            });
        }
        return metrics;
    }
}
