package dev.seq2seq.app.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.seq2seq.nn.io.AtomicFile;
import dev.seq2seq.nn.io.CheckpointException;
import dev.seq2seq.translator.data.Corpus;
import dev.seq2seq.translator.data.DataException;
import dev.seq2seq.translator.data.HeldOut;
import dev.seq2seq.translator.data.PairFile;
import dev.seq2seq.translator.decode.DecodeOptions;
import dev.seq2seq.translator.decode.LengthPenalty;
import dev.seq2seq.translator.eval.Evaluation;
import dev.seq2seq.translator.eval.Metric;
import dev.seq2seq.translator.model.ModelFile;
import dev.seq2seq.translator.model.Seq2SeqModel;
import dev.seq2seq.translator.model.TrainingState.TrainingSettings;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Measures a trained model: loss and next-token accuracy (teacher forcing), and the exact-match"
                + " rate, BLEU and chrF (as sacreBLEU computes them) of its translations.",
                "Pairs are grouped by source sentence: each distinct source is translated once and scored against"
                        + " all its translations in the set (several references).",
                "By default on the run's test pairs if it set some aside (train --test-fraction), else on its"
                        + " validation pairs; with --data, on every pair of a file."},
        footer = {"", "Examples:",
                "  seq2seq evaluate",
                "  seq2seq evaluate --model seq2seq.best.safetensors --show 10",
                "  seq2seq evaluate --beam 1 --metrics bleu,chrf,chrf++ --output scores.jsonl",
                "  seq2seq evaluate --data my-pairs.txt --num-samples 500",
                "", Main.EXIT_CODES})
final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    ModelOption trained;

    @Option(names = "--data", paramLabel = "FILE", description = "Evaluate on all pairs of FILE instead.")
    String data;

    @Option(names = "--num-samples", paramLabel = "N", defaultValue = "0",
            description = "With --data: the first N pairs; 0 = all. Default: ${DEFAULT-VALUE}.")
    int numSamples;

    @Option(names = "--split", paramLabel = "SPLIT",
            description = "test or validation: which held-out pairs of the run. Default: test when the run has"
                    + " test pairs, else validation.")
    String split;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "128",
            description = "Sentences processed together. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Mixin
    DecodeOption decode;

    @Mixin
    WeightsOption weights;

    @Mixin
    MetricOption metricOption;

    @Option(names = "--show", paramLabel = "N", defaultValue = "5",
            description = "Print the first N translations next to their references. Default: ${DEFAULT-VALUE}.")
    int show;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Also write one JSON line per source: source, references, hypothesis, its score and its"
                    + " sentence chrF2. FILE must not exist yet, unless --overwrite.")
    Path output;

    @Option(names = "--overwrite", description = "Replace --output if it exists.")
    boolean overwrite;

    @Mixin
    KernelOptions kernels;

    @Override
    public Integer call() throws IOException, DataException {
        if (batch < 1 || show < 0) {
            throw new IllegalArgumentException("--batch must be at least 1 and --show at least 0");
        }
        if (split != null && !split.equals("test") && !split.equals("validation")) {
            throw new IllegalArgumentException("--split must be test or validation, got '" + split + "'");
        }
        if (split != null && data != null) {
            throw new IllegalArgumentException("--split chooses among the run's held-out pairs; with --data every pair"
                    + " of the file is evaluated");
        }
        decode.check();
        List<Metric> metrics = metricOption.metrics();
        if (output != null) {
            if (Files.isDirectory(output)) {
                throw new DataException(output + ": is a folder; --output names the file to write");
            }
            if (Files.exists(output, LinkOption.NOFOLLOW_LINKS) && !overwrite) {
                throw new DataException(output + ": exists; give --overwrite to replace it");
            }
        }
        kernels.start();
        ModelFile.Loaded loaded = ModelFile.load(trained.model);
        Seq2SeqModel network = weights.apply(loaded.model());
        List<Corpus.Example> examples;
        String what;
        if (data != null) {
            PairFile file = Settings.pairs(data, numSamples);
            examples = Corpus.withVocabularies(file, network.sourceTokenizer(),
                    network.targetTokenizer(), network.sourceVocabulary(), network.targetVocabulary(),
                    HeldOut.atEnd(0)).training();
            what = counted(examples.size(), "pair") + " of " + file.source();
        } else {
            if (loaded.training() == null) {
                throw new CheckpointException(trained.model, "does not say what it was trained on; give --data FILE");
            }
            TrainingSettings settings = loaded.training().settings();
            boolean test = split != null ? split.equals("test") : settings.testFraction() > 0;
            if (test && settings.testFraction() == 0) {
                throw new DataException(trained.model + ": its run set no test pairs aside (train --test-fraction F"
                        + " does); evaluate --split validation instead");
            }
            PairFile file = Settings.trainingPairs(trained.model, settings, null).first(settings.numSamples());
            Corpus corpus = Corpus.withVocabularies(file, network.sourceTokenizer(),
                    network.targetTokenizer(), network.sourceVocabulary(), network.targetVocabulary(),
                    settings.heldOut());
            examples = test ? corpus.test() : corpus.validation();
            what = "the " + counted(examples.size(), test ? "test pair" : "validation pair") + " of " + file.source();
        }
        if (examples.isEmpty()) {
            throw new DataException("no pairs to evaluate on");
        }
        DecodeOptions options = decode.options(network);
        Evaluation result = Evaluation.run(network, examples, batch, options, metrics);
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "evaluated on %s: %s, %s; %s%n", what, counted(result.sources(), "distinct source"),
                counted(result.references(), "reference"), describe(options));
        out.printf(Locale.ROOT, "loss %.4f  next-token accuracy %.4f  exact match %.4f%n", result.loss(),
                result.accuracy(), result.exactMatch());
        result.scores().forEach(score -> out.println(score.line()));
        StringBuilder buckets = new StringBuilder("chrF2 by source length:");
        for (Evaluation.Bucket bucket : result.buckets()) {
            buckets.append(String.format(Locale.ROOT, "  %d-%d: %.2f (%d)", bucket.from(), bucket.to(), bucket.chrF(),
                    bucket.sources()));
        }
        out.println(buckets + "   [characters: chrF2 (sources)]");
        for (int i = 0; i < Math.min(show, result.sentences().size()); i++) {
            Evaluation.Sentence sentence = result.sentences().get(i);
            out.println("  > " + sentence.source());
            out.println("  = " + String.join("  |  ", sentence.references()));
            out.println("  < " + sentence.hypothesis());
        }
        if (output != null) {
            write(output, result);
            out.println("wrote " + result.sentences().size() + " lines to " + output);
        }
        return 0;
    }

    /** "1 pair", "2 pairs". */
    private static String counted(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    /** How the translations were decoded, in words. */
    static String describe(DecodeOptions options) {
        if (options.beam() == 1) {
            return "greedy decoding";
        }
        return "beam " + options.beam() + ", length penalty " + options.lengthPenalty().label()
                + (options.lengthPenalty() == LengthPenalty.WU ? " (alpha " + options.alpha() + ")" : "");
    }

    private static void write(Path file, Evaluation result) throws DataException {
        Gson gson = new GsonBuilder().disableHtmlEscaping().create();
        try {
            AtomicFile.write(file, stream -> {
                Writer writer = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
                for (Evaluation.Sentence sentence : result.sentences()) {
                    JsonObject line = new JsonObject();
                    line.addProperty("src", sentence.source());
                    JsonArray references = new JsonArray();
                    sentence.references().forEach(references::add);
                    line.add("refs", references);
                    line.addProperty("tgt", sentence.hypothesis());
                    line.addProperty("score", sentence.score());
                    line.addProperty("chrf", sentence.chrF());
                    writer.write(gson.toJson(line));
                    writer.write('\n');
                }
                writer.flush();
            });
        } catch (IOException e) {
            throw new DataException(file + ": cannot be written (" + AtomicFile.reason(e) + ")");
        }
    }
}
