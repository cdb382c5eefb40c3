package dev.seq2seq.app.cli;

import dev.seq2seq.translator.eval.BleuTokenizer;
import dev.seq2seq.translator.eval.Metric;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Which metrics score and evaluate print, and BLEU's tokenizer. */
final class MetricOption {
    @Option(names = "--metrics", paramLabel = "LIST", split = ",", defaultValue = "bleu,chrf",
            description = "Any of bleu, chrf (chrF2) and chrf++ (chrF2++, with word n-grams), computed as sacreBLEU"
                    + " 2.x computes them. Default: ${DEFAULT-VALUE}.")
    List<String> names = new ArrayList<>();

    @Option(names = "--tokenize", paramLabel = "NAME", defaultValue = "13a",
            description = "BLEU's tokenizer: 13a (the standard), intl or none. Default: ${DEFAULT-VALUE}.")
    String tokenize;

    /** The metrics asked for; an unknown name or tokenizer is refused, naming it. */
    List<Metric> metrics() {
        return Metric.named(names, BleuTokenizer.named(tokenize));
    }
}
