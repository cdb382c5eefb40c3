package dev.seq2seq.app.cli;

import dev.seq2seq.app.console.ConsoleView;
import dev.seq2seq.engine.autograd.OpProfile;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.WarmUp;
import dev.seq2seq.nn.io.AtomicFile;
import dev.seq2seq.translator.data.Corpus;
import dev.seq2seq.translator.data.DataException;
import dev.seq2seq.translator.data.HeldOut;
import dev.seq2seq.translator.data.Level;
import dev.seq2seq.translator.data.Padding;
import dev.seq2seq.translator.data.PairFile;
import dev.seq2seq.translator.data.Words;
import dev.seq2seq.translator.model.Architecture;
import dev.seq2seq.translator.model.Attention;
import dev.seq2seq.translator.model.Cell;
import dev.seq2seq.translator.model.ModelConfig;
import dev.seq2seq.translator.model.ModelFile;
import dev.seq2seq.translator.model.OptimizerKind;
import dev.seq2seq.translator.model.RateSchedule;
import dev.seq2seq.translator.model.Seq2SeqModel;
import dev.seq2seq.translator.model.TrainingState.TrainingSettings;
import dev.seq2seq.translator.model.TrainingState;
import dev.seq2seq.translator.train.RunFiles;
import dev.seq2seq.translator.train.RunLock;
import dev.seq2seq.translator.train.SeedJob;
import dev.seq2seq.translator.train.Trainer;
import dev.seq2seq.translator.train.TrainingDiverged;
import dev.seq2seq.translator.train.TrainingRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Trains the encoder-decoder on sentence pairs and saves it after every epoch.",
                "Ctrl-C stops after the current batch and saves; --resume continues exactly where it stopped.",
                "Beside --model FILE.safetensors it writes FILE.best.safetensors (the epoch of lowest validation"
                        + " loss), FILE.loss.png, FILE.history.csv, and FILE.lock (the running process's lock)."},
        footer = {"", "Examples:",
                "  seq2seq train                       # the seed's job: 10,000 pairs, 100 epochs",
                "  seq2seq train --epochs 20 --model small.safetensors",
                "  seq2seq train --cell gru --padding keras",
                "  seq2seq train --data fra.txt --num-samples 0 --epochs 10",
                "  seq2seq train --level word --no-teacher-forcing",
                "  # the README's recipe: the whole French file in 55 minutes, in a 6 GB heap",
                "  # (SEQ2SEQ_JAVA_OPTS=-Xmx6g for bin/seq2seq)",
                "  seq2seq train --data fra.txt --num-samples 0 --level word \\",
                "      --words split --vocab-size 8000 --attention general \\",
                "      --bidirectional --dropout 0.3 --optimizer adam \\",
                "      --average-decay 0.9995 --lr-decay 0.5 --test-fraction 0.02 \\",
                "      --validation-by source --validation-split 0.01 --chrf-sample 0 \\",
                "      --max-time 55m --epochs 40 --model fra.safetensors",
                "  seq2seq train --resume              # continue seq2seq.safetensors",
                "", Main.EXIT_CODES})
final class TrainCommand implements Callable<Integer> {
    /** Batches run forward and backward, without updates, before the first epoch (see Trainer.warmUp). */
    static final int WARM_UP_BATCHES = 8;
    /** How many of the costliest ops (with their shapes) --profile prints, after every op by name. */
    static final int PROFILE_ROWS = 15;
    /** Byte-pair merges per side at the pieces level, when --merges is not given. */
    static final int DEFAULT_MERGES = 8000;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE", defaultValue = Settings.BUNDLED,
            description = "Tab-separated sentence pairs (manythings.org/anki format). Default: ${DEFAULT-VALUE}"
                    + " (the first 10,000 English-French pairs, shipped with the program). With --resume: the"
                    + " same file, if it has moved.")
    String data;

    @Option(names = "--num-samples", paramLabel = "N", defaultValue = "" + SeedJob.NUM_SAMPLES,
            description = "Use the first N pairs; 0 = all. Default: ${DEFAULT-VALUE}.")
    int numSamples;

    @Option(names = "--model", paramLabel = "FILE", defaultValue = "seq2seq.safetensors",
            description = "Checkpoint to write; the run's other files go beside it. Default: ${DEFAULT-VALUE}.")
    Path model;

    @Option(names = "--cell", paramLabel = "CELL", defaultValue = "lstm",
            description = "Recurrent cell of encoder and decoder: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Cell cell;

    @Option(names = "--level", paramLabel = "LEVEL", defaultValue = "char",
            description = "Tokens: characters (one-hot), words, or bpe: pieces of words learned by byte-pair"
                    + " encoding (see --merges); words and pieces have Embedding layers. ${COMPLETION-CANDIDATES}."
                    + " Default: ${DEFAULT-VALUE}.")
    Level level;

    @Option(names = "--words", paramLabel = "RULE", defaultValue = "whole",
            description = "How the word and pieces levels cut words: whole keeps apostrophes and hyphens inside"
                    + " a word (Aidez-nous, J'ai); split ends a word after an apostrophe between letters and starts"
                    + " one at a hyphen between letters (Aidez -nous, J' ai), so elided and hyphenated forms share"
                    + " their words. ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Words words;

    @Option(names = "--latent", paramLabel = "H", defaultValue = "" + SeedJob.LATENT,
            description = "Size of the recurrent state. Default: ${DEFAULT-VALUE}.")
    int latent;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "" + SeedJob.BATCH, description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs to train (with --resume: the new total)."
            + " Default: " + SeedJob.EPOCHS + ".")
    Integer epochs;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "" + SeedJob.LEARNING_RATE,
            description = "Learning rate. Default: ${DEFAULT-VALUE}.")
    float learningRate;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "rmsprop",
            description = "${COMPLETION-CANDIDATES}. rmsprop: the seed's (Keras's rho 0.9, epsilon 1e-7); adam:"
                    + " PyTorch's defaults (beta1 0.9, beta2 0.999, epsilon 1e-8), one more array the size of the"
                    + " weights. Default: ${DEFAULT-VALUE}.")
    OptimizerKind optimizer;

    @Option(names = "--lr-decay", paramLabel = "F", defaultValue = "1",
            description = "Multiply the learning rate by F after every epoch that does not improve on the best"
                    + " validation chrF2 (or loss) so far; 1 = a constant rate. Default: ${DEFAULT-VALUE}.")
    float lrDecay;

    @Option(names = "--lr-schedule", paramLabel = "SCHEDULE", defaultValue = "plateau",
            description = "${COMPLETION-CANDIDATES}. plateau: the rate changes only between epochs, by --lr-decay;"
                    + " linear: besides, it falls step by step in a straight line to zero at the end of the last"
                    + " of --epochs (for runs that end at a planned epoch). Default: ${DEFAULT-VALUE}.")
    RateSchedule rateSchedule;

    @Option(names = "--average-decay", paramLabel = "D", defaultValue = "0",
            description = "Keep a moving average of the weights, each step average = D * average + (1 - D) *"
                    + " weights (D warmed up as (1 + t) / (10 + t) over the first steps), and validate, save and"
                    + " translate with it: it spans about 1 / (1 - D) steps (0.999: a thousand). Training goes on"
                    + " from the weights themselves. 0 = off. Default: ${DEFAULT-VALUE}.")
    float averageDecay;

    @Option(names = "--label-smoothing", paramLabel = "E", defaultValue = "0",
            description = "Train against targets that keep 1 - E of their weight and spread E evenly over the"
                    + " target vocabulary (0.1 is usual); the validation loss stays the plain cross-entropy."
                    + " Default: ${DEFAULT-VALUE}.")
    float labelSmoothing;

    @Option(names = "--clip-norm", paramLabel = "NORM", defaultValue = "0",
            description = "Clip gradients by global norm; 0 = off. Default: ${DEFAULT-VALUE}.")
    float clipNorm;

    @Option(names = "--attention", paramLabel = "SCORE", defaultValue = "none",
            description = "${COMPLETION-CANDIDATES}. none: the seed's model, one state vector for the whole"
                    + " sentence; dot, general (h_t W h_s) or additive (v tanh(h_t W1 + h_s W2)): the decoder attends"
                    + " to every encoder output at every step (Luong et al., 2015, with input feeding)."
                    + " Default: ${DEFAULT-VALUE}.")
    Attention attention;

    @Option(names = "--bidirectional", description = "Encode with two RNNs of --latent / 2 units each, one reading"
            + " the sentence backwards; the decoder starts from a learned bridge of their final states.")
    boolean bidirectional;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "1",
            description = "Recurrent layers on each side, each reading the outputs of the one below; decoder layer i"
                    + " starts from encoder layer i's final state. Default: ${DEFAULT-VALUE}.")
    int layers;

    @Option(names = "--dropout", paramLabel = "P", defaultValue = "0",
            description = "Inverted dropout between stacked layers and on the decoder's output (its attentional state"
                    + " with attention, also fed to the next step) while training; off when translating."
                    + " Default: ${DEFAULT-VALUE}.")
    float dropout;

    @Option(names = "--vocab-size", paramLabel = "N", defaultValue = "0",
            description = "Keep each side's N most frequent tokens of the training pairs; the others read as the"
                    + " unknown token (see translate --replace-unk). 0 = every token. Default: ${DEFAULT-VALUE}.")
    int vocabularySize;

    @Option(names = "--merges", paramLabel = "N", defaultValue = "" + DEFAULT_MERGES,
            description = "With --level bpe: the byte-pair merges each side learns from its training sentences (more"
                    + " merges, longer pieces and a larger vocabulary). Default: ${DEFAULT-VALUE}.")
    int merges;

    @Option(names = "--padding", paramLabel = "PADDING", defaultValue = "masked",
            description = "${COMPLETION-CANDIDATES}. masked: state at each sentence's end, loss on real characters"
                    + " only; keras: the seed's behaviour (everything padded to the longest sentence, padding"
                    + " counted). Default: ${DEFAULT-VALUE}.")
    Padding padding;

    @Option(names = "--no-teacher-forcing", description = "Feed the decoder its own predictions while training.")
    boolean noTeacherForcing;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "" + SeedJob.SEED,
            description = "Seed of initial weights and shuffling. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--validation-split", paramLabel = "F", defaultValue = "" + SeedJob.VALIDATION_SPLIT,
            description = "Fraction of the pairs (after any test pairs) held out for validation, chosen as"
                    + " --validation-by says. Default: ${DEFAULT-VALUE}.")
    double validationSplit;

    @Option(names = "--validation-by", paramLabel = "HOW", defaultValue = "end",
            description = "end: the last pairs of the file, as Keras's validation_split (the seed's job). The anki"
                    + " files are sorted by length, so on a whole file these are only its longest sentences, and a"
                    + " source repeated across the cut is both trained and validated on. source: distinct source"
                    + " sentences drawn at random from --seed, with all their pairs. Default: ${DEFAULT-VALUE}.")
    String validationBy;

    @Option(names = "--test-fraction", paramLabel = "F", defaultValue = "0",
            description = "Fraction of the distinct source sentences, drawn at random from --seed with all their"
                    + " pairs, set aside for testing: used neither for training nor validation, recorded in the"
                    + " checkpoint, measured by evaluate. Default: ${DEFAULT-VALUE} (the seed's job has none).")
    double testFraction;

    @Option(names = "--early-stopping", paramLabel = "N", defaultValue = "0",
            description = "Stop when the validation loss (the chrF2, with --chrf-sample) has not improved for N"
                    + " epochs; 0 = never. Default: ${DEFAULT-VALUE}.")
    int earlyStopping;

    @Option(names = "--chrf-sample", paramLabel = "N", defaultValue = "0",
            description = "Each epoch, translate the first N distinct validation sources (greedy) and measure their"
                    + " chrF2; the best epoch and --early-stopping then follow that chrF2 instead of the loss."
                    + " 0 = off. Default: ${DEFAULT-VALUE}.")
    int chrfSample;

    @Option(names = "--max-time", paramLabel = "DURATION",
            description = "Stop once this much time has passed since the command started (e.g. 90s, 45m, 1h30m):"
                    + " after the current batch, with a resumable checkpoint and the best epoch's beside it.")
    String maxTime;

    @Option(names = "--profile", description = "Time every op of the training steps, forward and backward, by"
            + " shapes, and print the costliest at the end (a table in Markdown).")
    boolean profile;

    @Option(names = "--sample-every", paramLabel = "N", defaultValue = "5",
            description = "Show a few validation translations every N epochs; 0 = never. Default: ${DEFAULT-VALUE}.")
    int sampleEvery;

    @Option(names = "--resume", description = "Continue the run saved in --model with its own data and settings"
            + " (only --epochs may change).")
    boolean resume;

    @Option(names = "--overwrite", description = "Start afresh even if --model exists (it is replaced).")
    boolean overwrite;

    @Mixin
    KernelOptions kernels;

    @Override
    public Integer call() throws IOException, DataException, TrainingDiverged {
        long began = System.nanoTime();
        validate();
        Duration budget = maxTime == null ? null : budget(maxTime);
        PrintStream out = System.out;
        if (!resume && rateSchedule == RateSchedule.LINEAR && epochs == null) {
            // the line is drawn over the planned epochs: a run meant to stop on --max-time would keep a high rate
            out.println("note: with --lr-schedule linear the rate reaches zero at the end of epoch " + SeedJob.EPOCHS
                    + ", the default --epochs; give --epochs for the run you plan");
        }
        RunFiles files = new RunFiles(model);
        if (Files.isDirectory(model)) {
            throw new DataException(model + ": is a folder; --model names the checkpoint file to write");
        }
        if (resume && !Files.exists(model)) {
            throw new DataException(model + ": no such file; there is no run to resume (train without --resume to"
                    + " start one)");
        }
        if (!resume && Files.exists(model) && !overwrite) {
            throw new DataException(model + ": already exists; continue it with --resume, replace it with"
                    + " --overwrite, or write elsewhere with --model FILE");
        }
        createFolder(model);
        try (RunLock lock = RunLock.acquire(files)) {
            files.sweepStaleTemporaryFiles();
            TrainingRun run = resume ? resumeRun(out) : startRun();
            if (run == null) {
                return 0;
            }
            return train(run, files, out, budget == null ? null : began + budget.toNanos());
        }
    }

    /** --max-time's value: 90s, 45m, 2h, 1h30m. */
    static Duration budget(String text) {
        Duration duration;
        try {
            duration = Duration.parse("PT" + text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--max-time: '" + text + "' is not a duration such as 90s, 45m or"
                    + " 1h30m");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--max-time must be longer than zero, got " + text);
        }
        return duration;
    }

    private int train(TrainingRun run, RunFiles files, PrintStream out, Long deadline)
            throws IOException, TrainingDiverged {
        kernels.start();
        Corpus corpus = run.corpus();
        Seq2SeqModel network = run.model();
        TrainingState state = run.state();
        RunHeader.print(out, corpus, network, state);
        double kernelsWarm = WarmUp.run(Backend.kernels());
        double pathWarm = Trainer.warmUp(network, corpus, WARM_UP_BATCHES, state.settings().batchSize(),
                state.settings().teacherForcing());
        out.printf(Locale.ROOT, "warm-up: %.1f s for the JIT (the kernels, then %d batches forward and backward,"
                + " no update)%n", kernelsWarm + pathWarm, WARM_UP_BATCHES);

        Trainer trainer = new Trainer(files, sampleEvery, earlyStopping, new ConsoleView(out, true), out);
        if (deadline != null) {
            trainer.stopAt(deadline);
        }
        OpProfile ops = profile ? new OpProfile() : null;
        trainer.profile(ops);
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
            outcome = trainer.run(run);
        } finally {
            finished.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C arrived: the hook is running and now returns
        }
        if (ops != null) {
            out.println("the training steps, op by op (wall-clock; a forward op counts from the end of the one"
                    + " before it):");
            ops.print(out, PROFILE_ROWS);
        }
        if (outcome == Trainer.Outcome.INTERRUPTED) {
            return Main.INTERRUPTED;
        }
        out.println("saved " + model + " (best validation " + (run.state().settings().chrfSample() > 0 ? "chrF2"
                : "loss") + ": " + files.best() + ", loss curve: " + files.curve() + ", history: " + files.history()
                + ")");
        return 0;
    }

    private TrainingRun startRun() throws DataException {
        PairFile pairs = Settings.pairs(data, numSamples);
        TrainingSettings settings = new TrainingSettings(data, null, numSamples, validationSplit, batch, learningRate,
                clipNorm, !noTeacherForcing, seed, epochs != null ? epochs : SeedJob.EPOCHS, testFraction,
                validationBy(), chrfSample, vocabularySize, level == Level.BPE ? merges : 0, lrDecay, labelSmoothing,
                rateSchedule, optimizer, averageDecay);
        return TrainingRun.start(pairs, settings, new Architecture(level, cell, latent, padding, attention, bidirectional,
                layers, dropout, words));
    }

    /** The saved run, after checking no option contradicts it; null when it has no epoch left to train. */
    private TrainingRun resumeRun(PrintStream out) throws IOException, DataException {
        ModelFile.Loaded loaded = ModelFile.load(model);
        if (loaded.training() != null) {
            refuseConflicts(loaded.training().settings(), loaded.model().config());
            TrainingState saved = loaded.training();
            int total = epochs != null ? epochs : saved.settings().epochs();
            if (saved.epochsDone() >= total) {
                out.printf(Locale.ROOT, "%s has trained %d epochs already, and %d were asked for: nothing to do"
                        + " (give --epochs N with N > %d to go on)%n", model, saved.epochsDone(), total,
                        saved.epochsDone());
                return null;
            }
        }
        PairFile pairs = loaded.training() == null ? null
                : Settings.trainingPairs(model, loaded.training().settings(), given("--data") ? data : null);
        TrainingRun run = TrainingRun.resume(model, loaded, pairs, epochs);
        TrainingState state = run.state();
        out.printf(Locale.ROOT, "resuming %s after epoch %d%s, up to epoch %d%n", model, state.epochsDone(),
                state.batchesDone() > 0 ? " and " + state.batchesDone() + " batches" : "", state.settings().epochs());
        return run;
    }

    private boolean given(String option) {
        ParseResult parsed = spec.commandLine().getParseResult();
        return parsed != null && parsed.hasMatchedOption(option);
    }

    /** A resumed run keeps its settings: an option given with another value than the saved one is refused. */
    private void refuseConflicts(TrainingSettings saved, ModelConfig config) {
        conflict("--num-samples", numSamples, saved.numSamples());
        conflict("--cell", cell, config.cell());
        conflict("--level", level, config.level());
        conflict("--words", words, config.words());
        conflict("--latent", latent, config.latent());
        conflict("--padding", padding, config.padding());
        conflict("--attention", attention, config.attention());
        conflict("--bidirectional", bidirectional, config.bidirectional());
        conflict("--dropout", dropout, config.dropout());
        conflict("--layers", layers, config.layers());
        conflict("--batch", batch, saved.batchSize());
        conflict("--lr", learningRate, saved.learningRate());
        conflict("--lr-decay", lrDecay, saved.lrDecay());
        conflict("--label-smoothing", labelSmoothing, saved.labelSmoothing());
        conflict("--lr-schedule", rateSchedule, saved.rateSchedule());
        conflict("--optimizer", optimizer, saved.optimizer());
        conflict("--average-decay", averageDecay, saved.averageDecay());
        conflict("--clip-norm", clipNorm, saved.clipNorm());
        conflict("--seed", seed, saved.seed());
        conflict("--validation-split", validationSplit, saved.validationSplit());
        conflict("--validation-by", validationBy(), saved.validationBy());
        conflict("--test-fraction", testFraction, saved.testFraction());
        conflict("--chrf-sample", chrfSample, saved.chrfSample());
        conflict("--vocab-size", vocabularySize, saved.vocabularySize());
        conflict("--merges", merges, saved.merges());
        conflict("--no-teacher-forcing", noTeacherForcing, !saved.teacherForcing());
    }

    private void conflict(String option, Object given, Object saved) {
        if (given(option) && !Objects.equals(given, saved)) {
            throw new IllegalArgumentException(option + " " + given + " conflicts with the run saved in " + model
                    + ", which has " + saved + "; --resume continues a run with its own settings (only --epochs"
                    + " may change)");
        }
    }

    private static void createFolder(Path model) throws DataException {
        Path folder = model.toAbsolutePath().getParent();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new DataException(model + ": its folder cannot be created (" + AtomicFile.reason(e) + ")");
        }
    }

    /** Says which option is out of range, and its value. */
    private static void atLeast(String option, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException(option + " must be at least " + least + ", got " + value);
        }
    }

    private void validate() {
        atLeast("--latent", latent, 1);
        atLeast("--batch", batch, 1);
        if (epochs != null) {
            atLeast("--epochs", epochs, 1);
        }
        if (batch > TrainingState.MAX_BATCH) {
            throw new IllegalArgumentException("--batch is at most " + TrainingState.MAX_BATCH + ", got " + batch);
        }
        if (epochs != null && epochs > TrainingState.MAX_EPOCHS) {
            throw new IllegalArgumentException("--epochs is at most " + TrainingState.MAX_EPOCHS + ", got " + epochs);
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + learningRate);
        }
        if (!(clipNorm >= 0) || !Float.isFinite(clipNorm)) {
            throw new IllegalArgumentException("--clip-norm must be a number of at least 0 (0: off), got "
                    + clipNorm);
        }
        if (!(lrDecay > 0 && lrDecay <= 1)) {
            throw new IllegalArgumentException("--lr-decay must be in (0, 1], got " + lrDecay);
        }
        if (!(averageDecay >= 0 && averageDecay < 1)) {
            throw new IllegalArgumentException("--average-decay must be in [0, 1) (0: no average), got "
                    + averageDecay);
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("--label-smoothing must be in [0, 1), got " + labelSmoothing);
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("--validation-split must be in [0, 1), got " + validationSplit);
        }
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("--test-fraction must be in [0, 1), got " + testFraction);
        }
        if (testFraction + validationSplit >= 1) {
            throw new IllegalArgumentException("--test-fraction " + testFraction + " and --validation-split "
                    + validationSplit + " leave nothing to train on");
        }
        validationBy();
        atLeast("--early-stopping", earlyStopping, 0);
        atLeast("--sample-every", sampleEvery, 0);
        atLeast("--chrf-sample", chrfSample, 0);
        atLeast("--vocab-size", vocabularySize, 0);
        atLeast("--merges", merges, 0);
        if (!resume && given("--merges") && level != Level.BPE) {
            throw new IllegalArgumentException("--merges goes with --level bpe, and the level is " + level);
        }
        if (!resume && words == Words.SPLIT && level == Level.CHAR) {
            throw new IllegalArgumentException("--words split goes with --level word or bpe, and the level is char");
        }
        if (resume && overwrite) {
            throw new IllegalArgumentException("--resume and --overwrite contradict each other");
        }
    }

    private HeldOut.ValidationBy validationBy() {
        return switch (validationBy) {
            case "end" -> HeldOut.ValidationBy.END;
            case "source" -> HeldOut.ValidationBy.SOURCE;
            default -> throw new IllegalArgumentException("--validation-by must be end or source, got '"
                    + validationBy + "'");
        };
    }
}
