package dev.seq2seq.app.cli;

import dev.seq2seq.app.data.Corpus;
import dev.seq2seq.app.data.DataException;
import dev.seq2seq.app.data.PairFile;
import dev.seq2seq.app.decode.Translator;
import dev.seq2seq.app.eval.Evaluation;
import dev.seq2seq.app.model.ModelFile;
import dev.seq2seq.app.model.Seq2SeqModel;
import dev.seq2seq.app.model.TrainingState.TrainingSettings;
import dev.seq2seq.nn.io.CheckpointException;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Measures a trained model: loss and next-token accuracy (teacher forcing), and exact-match"
                + " rate, chrF and BLEU of its greedy translations.",
                "By default on the validation pairs it was trained with; with --data, on every pair of a file."},
        footer = {"", "Examples:",
                "  seq2seq evaluate",
                "  seq2seq evaluate --model seq2seq.best.safetensors --show 10",
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

    @Option(names = "--batch", paramLabel = "B", defaultValue = "128",
            description = "Sentences processed together. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--show", paramLabel = "N", defaultValue = "5",
            description = "Print the first N translations next to their references. Default: ${DEFAULT-VALUE}.")
    int show;

    @Mixin
    KernelOptions kernels;

    @Override
    public Integer call() throws IOException, DataException {
        if (batch < 1 || show < 0) {
            throw new IllegalArgumentException("--batch must be at least 1 and --show at least 0");
        }
        kernels.start();
        ModelFile.Loaded loaded = ModelFile.load(trained.model);
        Seq2SeqModel network = loaded.model();
        List<Corpus.Example> examples;
        String what;
        if (data != null) {
            PairFile file = Settings.pairs(data, numSamples);
            examples = Corpus.withVocabularies(file, network.config().level(), network.sourceVocabulary(),
                    network.targetVocabulary(), 0).training();
            what = examples.size() + " pairs of " + file.source();
        } else {
            if (loaded.training() == null) {
                throw new CheckpointException(trained.model, "does not say what it was trained on; give --data FILE");
            }
            TrainingSettings settings = loaded.training().settings();
            PairFile file = Settings.trainingPairs(trained.model, settings, null).first(settings.numSamples());
            examples = Corpus.withVocabularies(file, network.config().level(), network.sourceVocabulary(),
                    network.targetVocabulary(), settings.validationSplit()).validation();
            what = "the " + examples.size() + " validation pairs of " + file.source();
        }
        if (examples.isEmpty()) {
            throw new DataException("no pairs to evaluate on");
        }
        Evaluation result = Evaluation.run(network, examples, batch, Translator.defaultMaxLength(network));
        System.out.println("evaluated on " + what);
        System.out.printf(Locale.ROOT, "loss %.4f  next-token accuracy %.4f  exact match %.4f  chrF %.2f  BLEU %.2f%n",
                result.loss(), result.accuracy(), result.exactMatch(), result.chrF(), result.bleu());
        for (int i = 0; i < Math.min(show, examples.size()); i++) {
            System.out.println("  > " + examples.get(i).pair().source());
            System.out.println("  = " + examples.get(i).pair().target());
            System.out.println("  < " + result.hypotheses().get(i));
        }
        return 0;
    }
}
