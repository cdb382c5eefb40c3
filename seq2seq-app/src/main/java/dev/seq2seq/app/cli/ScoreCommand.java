package dev.seq2seq.app.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.seq2seq.translator.data.DataException;
import dev.seq2seq.translator.data.TextFile;
import dev.seq2seq.translator.eval.Metric;
import dev.seq2seq.translator.eval.MetricScore;
import dev.seq2seq.translator.eval.References;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "score", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Scores any system's translations against references, with BLEU and chrF computed as"
                + " sacreBLEU 2.x computes them (the same figures to the last digit), each printed with"
                + " sacreBLEU's signature.",
                "Files hold one sentence per line; line i of every reference file is a reference for line i of"
                        + " the hypotheses."},
        footer = {"", "Examples:",
                "  seq2seq score --hypotheses output.fr --references reference.fr",
                "  seq2seq score --hypotheses output.fr --references ref1.fr \\",
                "      --references ref2.fr --metrics bleu,chrf,chrf++ --tokenize intl --json",
                "", Main.EXIT_CODES})
final class ScoreCommand implements Callable<Integer> {

    @Option(names = "--hypotheses", paramLabel = "FILE", required = true,
            description = "The translations to score, one per line.")
    Path hypotheses;

    @Option(names = "--references", paramLabel = "FILE", required = true,
            description = "Reference translations, line for line; repeat the option for several references.")
    List<Path> references = new ArrayList<>();

    @Mixin
    MetricOption metricOption;

    @Option(names = "--json", description = "Print the scores as a JSON array of {name, score, signature, details}.")
    boolean json;

    @Override
    public Integer call() throws DataException {
        List<Metric> metrics = metricOption.metrics();
        List<String> system = TextFile.lines(hypotheses);
        if (system.isEmpty()) {
            throw new DataException(hypotheses + ": is empty; there is nothing to score");
        }
        List<List<String>> streams = new ArrayList<>();
        for (Path file : references) {
            List<String> lines = TextFile.lines(file);
            if (lines.size() != system.size()) {
                throw new DataException(file + ": has " + lines.size() + " lines where " + hypotheses + " has "
                        + system.size() + "; references must match the hypotheses line for line");
            }
            streams.add(lines);
        }
        References bySentence = References.fromStreams(streams);
        List<MetricScore> scores = new ArrayList<>();
        for (Metric metric : metrics) {
            scores.add(metric.corpus(system, bySentence));
        }
        if (json) {
            JsonArray array = new JsonArray();
            for (MetricScore score : scores) {
                JsonObject object = new JsonObject();
                object.addProperty("name", score.name());
                object.addProperty("score", score.rounded());
                object.addProperty("signature", score.signature());
                object.addProperty("details", score.details());
                array.add(object);
            }
            System.out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(array));
        } else {
            scores.forEach(score -> System.out.println(score.line()));
        }
        return 0;
    }
}
