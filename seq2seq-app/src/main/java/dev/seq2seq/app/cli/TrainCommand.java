package dev.seq2seq.app.cli;

import dev.seq2seq.app.data.Corpus;
import dev.seq2seq.app.data.DataException;
import dev.seq2seq.app.data.Level;
import dev.seq2seq.app.data.Padding;
import dev.seq2seq.app.model.ModelConfig;
import dev.seq2seq.app.model.Seq2SeqModel;
import dev.seq2seq.app.model.TrainingState;
import dev.seq2seq.app.model.TrainingState.TrainingSettings;
import dev.seq2seq.app.train.Trainer;
import dev.seq2seq.app.train.TrainingDiverged;
import dev.seq2seq.app.train.TrainingRun;
import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.WarmUp;
import dev.seq2seq.nn.optim.RMSprop;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains the encoder-decoder on sentence pairs and saves it after every epoch.",
                "Ctrl-C stops after the current batch and saves; --resume continues exactly where it stopped."},
        footer = {"", "Examples:",
                "  seq2seq train                       # the seed's job: 10,000 pairs, 100 epochs",
                "  seq2seq train --epochs 20 --model small.safetensors",
                "  seq2seq train --cell gru --padding keras",
                "  seq2seq train --data fra.txt --num-samples 0 --epochs 10",
                "  seq2seq train --level word --no-teacher-forcing",
                "  seq2seq train --resume              # continue seq2seq.safetensors"})
final class TrainCommand implements Callable<Integer> {
    /** Batches run forward and backward, without updates, before the first epoch (see Trainer.warmUp). */
    static final int WARM_UP_BATCHES = 8;

    @Option(names = "--data", paramLabel = "FILE", defaultValue = Settings.BUNDLED,
            description = "Tab-separated sentence pairs (manythings.org/anki format). Default: ${DEFAULT-VALUE}"
                    + " (the first 10,000 English-French pairs, shipped with the program).")
    String data;

    @Option(names = "--num-samples", paramLabel = "N", defaultValue = "10000",
            description = "Use the first N pairs; 0 = all. Default: ${DEFAULT-VALUE}.")
    int numSamples;

    @Option(names = "--model", paramLabel = "FILE", defaultValue = "seq2seq.safetensors",
            description = "Checkpoint to write (and the best one beside it, FILE.best). Default: ${DEFAULT-VALUE}.")
    Path model;

    @Option(names = "--cell", paramLabel = "lstm|gru", defaultValue = "lstm",
            description = "Recurrent cell of encoder and decoder. Default: ${DEFAULT-VALUE}.")
    String cell;

    @Option(names = "--level", paramLabel = "char|word", defaultValue = "char",
            description = "Tokens: characters (one-hot), or words (with Embedding layers). Default: ${DEFAULT-VALUE}.")
    String level;

    @Option(names = "--latent", paramLabel = "H", defaultValue = "256",
            description = "Size of the recurrent state. Default: ${DEFAULT-VALUE}.")
    int latent;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "64", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs to train (with --resume: the new total)."
            + " Default: 100.")
    Integer epochs;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.001",
            description = "RMSprop learning rate. Default: ${DEFAULT-VALUE}.")
    float learningRate;

    @Option(names = "--clip-norm", paramLabel = "NORM", defaultValue = "0",
            description = "Clip gradients by global norm; 0 = off. Default: ${DEFAULT-VALUE}.")
    float clipNorm;

    @Option(names = "--padding", paramLabel = "masked|keras", defaultValue = "masked",
            description = "masked: state at each sentence's end, loss on real characters only;"
                    + " keras: the seed's behaviour (everything padded to the longest sentence, padding counted)."
                    + " Default: ${DEFAULT-VALUE}.")
    String padding;

    @Option(names = "--no-teacher-forcing", description = "Feed the decoder its own predictions while training.")
    boolean noTeacherForcing;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of initial weights and shuffling. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    KernelOptions kernels;

    @Option(names = "--validation-split", paramLabel = "F", defaultValue = "0.2",
            description = "Fraction of pairs, taken from the end, held out for validation. Default: ${DEFAULT-VALUE}.")
    double validationSplit;

    @Option(names = "--sample-every", paramLabel = "N", defaultValue = "5",
            description = "Show a few validation translations every N epochs; 0 = never. Default: ${DEFAULT-VALUE}.")
    int sampleEvery;

    @Option(names = "--resume", description = "Continue the run saved in --model (same data and settings).")
    boolean resume;

    @Option(names = "--overwrite", description = "Start afresh even if --model exists (it is replaced).")
    boolean overwrite;

    @Override
    public Integer call() throws IOException, DataException, TrainingDiverged {
        validate();
        PrintStream out = System.out;
        TrainingRun run;
        if (resume) {
            run = TrainingRun.resume(model, epochs, Settings::pairs);
            TrainingState state = run.state();
            out.printf(Locale.ROOT, "resuming %s after epoch %d%s, up to epoch %d%n", model, state.epochsDone(),
                    state.batchesDone() > 0 ? " and " + state.batchesDone() + " batches" : "", state.settings().epochs());
        } else {
            if (Files.exists(model) && !overwrite) {
                throw new DataException(model + ": already exists; continue it with --resume, replace it with"
                        + " --overwrite, or write elsewhere with --model FILE");
            }
            TrainingSettings settings = new TrainingSettings(data, numSamples, validationSplit, batch, learningRate,
                    clipNorm, !noTeacherForcing, seed, epochs != null ? epochs : 100);
            run = TrainingRun.start(Settings.pairs(data, numSamples), settings,
                    Level.valueOf(level.toUpperCase(Locale.ROOT)), cell, latent,
                    Padding.valueOf(padding.toUpperCase(Locale.ROOT)));
        }
        kernels.start();
        Corpus corpus = run.corpus();
        Seq2SeqModel network = run.model();
        TrainingState state = run.state();
        RMSprop optimizer = run.optimizer();
        describe(out, corpus, network, state);
        double kernelsWarm = WarmUp.run(Backend.kernels());
        double pathWarm = Trainer.warmUp(network, corpus, WARM_UP_BATCHES, state.settings().batchSize(),
                state.settings().teacherForcing());
        out.printf(Locale.ROOT, "warm-up: %.1f s for the JIT (the kernels, then %d batches forward and backward,"
                + " no update)%n", kernelsWarm + pathWarm, WARM_UP_BATCHES);

        Trainer trainer = new Trainer(model, sampleEvery, System.console() != null, out);
        CountDownLatch finished = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            trainer.requestStop();
            try {
                finished.await(120, TimeUnit.SECONDS); // let the loop save before the JVM exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "seq2seq-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        Trainer.Outcome outcome;
        try {
            outcome = trainer.run(corpus, network, optimizer, state);
        } finally {
            finished.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C arrived: the hook is running and now returns
        }
        if (outcome == Trainer.Outcome.COMPLETED) {
            out.println("saved " + model + " (best validation loss: " + Trainer.bestFile(model) + ", loss curve: "
                    + Trainer.curveFile(model) + ")");
        }
        return 0;
    }

    private void validate() {
        if (!cell.equals("lstm") && !cell.equals("gru")) {
            throw new IllegalArgumentException("--cell must be lstm or gru, got '" + cell + "'");
        }
        if (!level.equals("char") && !level.equals("word")) {
            throw new IllegalArgumentException("--level must be char or word, got '" + level + "'");
        }
        if (!padding.equals("masked") && !padding.equals("keras")) {
            throw new IllegalArgumentException("--padding must be masked or keras, got '" + padding + "'");
        }
        if (latent < 1 || batch < 1 || (epochs != null && epochs < 1)) {
            throw new IllegalArgumentException("--latent, --batch and --epochs must be at least 1");
        }
        if (!(learningRate > 0) || !(clipNorm >= 0)) {
            throw new IllegalArgumentException("--lr must be positive and --clip-norm at least 0");
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("--validation-split must be in [0, 1), got " + validationSplit);
        }
        if (resume && overwrite) {
            throw new IllegalArgumentException("--resume and --overwrite contradict each other");
        }
    }

    private static void describe(PrintStream out, Corpus corpus, Seq2SeqModel network, TrainingState state) {
        long parameters = network.parameters().stream().mapToLong(Tensor::size).sum();
        ModelConfig config = network.config();
        String unit = config.level() == Level.CHAR ? "characters" : "words";
        out.printf(Locale.ROOT, "data: %d training pairs, %d validation pairs; %d source and %d target %s"
                        + " (with 4 reserved); longest source %d, longest target %d %s%n",
                corpus.training().size(), corpus.validation().size(), corpus.sourceVocabulary().size(),
                corpus.targetVocabulary().size(), config.level() == Level.CHAR ? "characters" : "tokens",
                config.maxSourceLength(), config.maxTargetLength(), unit);
        out.printf(Locale.ROOT, "model: %s encoder-decoder, latent %d, %,d parameters; batch %d, RMSprop lr %s%s,"
                        + " teacher forcing %s%n", config.cell().toUpperCase(Locale.ROOT), config.latent(), parameters,
                state.settings().batchSize(), state.settings().learningRate(),
                state.settings().clipNorm() > 0 ? ", clip norm " + state.settings().clipNorm() : "",
                state.settings().teacherForcing() ? "on" : "off");
        out.println("loss: cross-entropy, " + Trainer.lossKind(config.padding()) + " (padding: "
                + config.padding().name().toLowerCase(Locale.ROOT) + ")");
    }
}
