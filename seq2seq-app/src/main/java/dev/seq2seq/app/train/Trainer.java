package dev.seq2seq.app.train;

import dev.seq2seq.app.data.Batch;
import dev.seq2seq.app.data.Corpus;
import dev.seq2seq.app.data.Padding;
import dev.seq2seq.app.decode.Translator;
import dev.seq2seq.app.eval.Evaluation;
import dev.seq2seq.app.model.ModelFile;
import dev.seq2seq.app.model.Seq2SeqModel;
import dev.seq2seq.app.model.TrainingState;
import dev.seq2seq.app.model.TrainingState.EpochRecord;
import dev.seq2seq.app.model.TrainingState.TrainingSettings;
import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.nn.optim.RMSprop;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The training loop: shuffled batches, teacher forcing (or not), RMSprop; after every epoch the
 * validation loss and accuracy, a checkpoint (and the best one beside it), the loss curve, and
 * every few epochs a few greedy translations, so that a collapse ("the same output for every
 * input") shows early.
 *
 * <p>Everything random derives from the seed and the epoch number, and the checkpoint holds the
 * position inside an interrupted epoch, so a resumed run computes exactly what an uninterrupted
 * one would have.
 */
public final class Trainer {
    static final int VALIDATION_BATCH = 256;
    static final int SAMPLES_SHOWN = 3;

    private final Path modelFile;
    private final int sampleEvery;
    private final boolean terminal;
    private final PrintStream out;
    private volatile boolean stopRequested;

    public Trainer(Path modelFile, int sampleEvery, boolean terminal, PrintStream out) {
        this.modelFile = modelFile;
        this.sampleEvery = sampleEvery;
        this.terminal = terminal;
        this.out = out;
    }

    /** How a run ended. */
    public enum Outcome { COMPLETED, INTERRUPTED }

    /** Asks the loop to stop after the current batch and save (from Ctrl-C). */
    public void requestStop() {
        stopRequested = true;
    }

    /** Where the best-validation checkpoint goes: "model.safetensors" -> "model.best.safetensors". */
    public static Path bestFile(Path modelFile) {
        return sibling(modelFile, ".best.safetensors");
    }

    /** Where the loss curve goes: "model.safetensors" -> "model.loss.png". */
    public static Path curveFile(Path modelFile) {
        return sibling(modelFile, ".loss.png");
    }

    private static Path sibling(Path file, String suffix) {
        String name = file.getFileName().toString();
        String stem = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
        return file.resolveSibling(stem + suffix);
    }

    /** How many batches' worth of examples are sorted by length together (masked padding). */
    static final int BUCKET_BATCHES = 16;

    /**
     * The batches of an epoch, as lists of example indices, fixed by the seed and the epoch number
     * (so a resumed run sees the same batches). The examples are shuffled; with masked padding,
     * each window of {@link #BUCKET_BATCHES} batches is then sorted by length before it is cut into
     * batches, and the batches are shuffled again: a batch holds sentences of similar lengths, so
     * little time goes into padded steps, while every epoch still mixes the data differently. With
     * Keras padding every batch is padded to the longest sentence anyway, so the seed's plain
     * shuffled batches are kept.
     */
    public static List<int[]> epochBatches(List<Corpus.Example> examples, int batchSize, Padding padding, long seed,
                                    int epoch) {
        int count = examples.size();
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + epoch);
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        if (padding == Padding.MASKED) {
            int window = batchSize * BUCKET_BATCHES;
            java.util.Comparator<Integer> byLength = java.util.Comparator
                    .comparingInt((Integer i) -> examples.get(i).target().length)
                    .thenComparingInt(i -> examples.get(i).source().length);
            for (int from = 0; from < count; from += window) {
                java.util.Arrays.sort(order, from, Math.min(count, from + window), byLength);
            }
        }
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < count; from += batchSize) {
            int[] batch = new int[Math.min(batchSize, count - from)];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = order[from + i];
            }
            batches.add(batch);
        }
        if (padding == Padding.MASKED) {
            int[][] shuffled = batches.toArray(new int[0][]);
            shuffle(shuffled, random);
            batches = java.util.Arrays.asList(shuffled);
        }
        return batches;
    }

    private static <T> void shuffle(T[] items, SplittableRandom random) {
        for (int i = items.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T swap = items[i];
            items[i] = items[j];
            items[j] = swap;
        }
    }

    public static String lossKind(Padding padding) {
        return padding == Padding.KERAS ? "Keras: mean over every padded position" : "mean over real target tokens";
    }

    public Outcome run(Corpus corpus, Seq2SeqModel model, RMSprop optimizer, TrainingState start)
            throws IOException, TrainingDiverged {
        TrainingSettings settings = start.settings();
        List<Corpus.Example> training = corpus.training();
        int count = training.size();
        int batchSize = settings.batchSize();
        Padding padding = model.config().padding();
        List<EpochRecord> history = new ArrayList<>(start.history());
        double best = start.bestValidation();
        long iterations = start.iterations();
        Tape tape = new Tape();

        for (int epoch = start.epochsDone() + 1; epoch <= settings.epochs(); epoch++) {
            boolean resumedEpoch = epoch == start.epochsDone() + 1;
            int firstBatch = resumedEpoch ? start.batchesDone() : 0;
            double lossSum = resumedEpoch ? start.partialLossSum() : 0;
            List<int[]> plan = epochBatches(training, batchSize, padding, settings.seed(), epoch);
            int batches = plan.size();
            long began = System.nanoTime();
            int samplesThisRun = 0;
            try (Progress progress = new Progress(String.format(Locale.ROOT, "epoch %d/%d", epoch, settings.epochs()),
                    batches, terminal, out)) {
                for (int b = firstBatch; b < batches; b++) {
                    List<Corpus.Example> examples = new ArrayList<>(batchSize);
                    for (int index : plan.get(b)) {
                        examples.add(training.get(index));
                    }
                    Batch batch = model.batch(examples);
                    float loss = step(model, optimizer, tape, batch, settings.teacherForcing(), epoch, b, iterations + 1);
                    iterations++;
                    lossSum += (double) loss * batch.size();
                    samplesThisRun += batch.size();
                    progress.step(b + 1, String.format(Locale.ROOT, "loss %.4f", loss));
                    if (stopRequested && b + 1 < batches) {
                        TrainingState paused = new TrainingState(settings, epoch - 1, b + 1, lossSum, iterations,
                                history, best);
                        ModelFile.save(modelFile, model, optimizer, paused);
                        out.printf(Locale.ROOT, "%nstopped in epoch %d after batch %d of %d; saved %s (continue with"
                                + " --resume)%n", epoch, b + 1, batches, modelFile);
                        return Outcome.INTERRUPTED;
                    }
                }
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            double trainLoss = lossSum / count;
            Seq2SeqModel.BatchStats validation = Evaluation.teacherForced(model, corpus.validation(), VALIDATION_BATCH);
            double validationLoss = validation.positions() == 0 ? Double.NaN
                    : validation.lossSum() / validation.positions();
            double accuracy = validation.positions() == 0 ? Double.NaN
                    : (double) validation.correct() / validation.positions();
            history.add(new EpochRecord(epoch, trainLoss, validationLoss, accuracy, seconds));
            out.printf(Locale.ROOT, "epoch %3d/%d  loss %.4f  val_loss %.4f  val_acc %.4f  %.1f s  %.0f samples/s%n",
                    epoch, settings.epochs(), trainLoss, validationLoss, accuracy, seconds, samplesThisRun / seconds);

            double score = Double.isNaN(validationLoss) ? trainLoss : validationLoss;
            boolean improved = score < best;
            best = Math.min(best, score);
            TrainingState done = new TrainingState(settings, epoch, 0, 0, iterations, history, best);
            ModelFile.save(modelFile, model, optimizer, done);
            if (improved) {
                ModelFile.save(bestFile(modelFile), model, optimizer, done);
            }
            try {
                LossCurve.write(curveFile(modelFile), history, lossKind(padding));
            } catch (IOException | RuntimeException | LinkageError | java.awt.AWTError e) {
                // A machine without the desktop libraries or fonts: the curve is optional.
                out.println("warning: could not draw the loss curve (" + e + "); training goes on");
            }
            if (sampleEvery > 0 && (epoch % sampleEvery == 0 || epoch == settings.epochs())) {
                showSamples(model, corpus.validation().isEmpty() ? training : corpus.validation());
            }
            if (stopRequested) {
                out.println("stopped after epoch " + epoch + "; saved " + modelFile + " (continue with --resume)");
                return Outcome.INTERRUPTED;
            }
        }
        return Outcome.COMPLETED;
    }

    /**
     * Forward and backward over the first {@code batches} batches of the training set, with no
     * update: the JIT then compiles the whole training path (ops, recurrences, loss) before the
     * first epoch is timed. Nothing is changed: not the weights, not the optimiser, not the batch
     * order; the gradients it leaves are cleared by the first real step. Returns the seconds.
     */
    public static double warmUp(Seq2SeqModel model, Corpus corpus, int batches, int batchSize,
                                boolean teacherForcing) {
        long began = System.nanoTime();
        List<Corpus.Example> training = corpus.training();
        Tape tape = new Tape();
        for (int b = 0; b < batches && (b + 1) * batchSize <= training.size(); b++) {
            Batch batch = model.batch(training.subList(b * batchSize, (b + 1) * batchSize));
            tape.clear();
            try (Tape.Scope ignored = tape.activate()) {
                tape.backward(model.loss(batch, teacherForcing));
            }
        }
        tape.clear();
        for (Tensor parameter : model.parameters()) {
            parameter.zeroGrad();
        }
        return (System.nanoTime() - began) / 1e9;
    }

    /**
     * One optimiser step on one batch (the numbers only name the step if it diverges); returns the
     * batch loss.
     */
    public static float step(Seq2SeqModel model, RMSprop optimizer, Tape tape, Batch batch, boolean teacherForcing,
                              int epoch, int batchIndex, long stepNumber) throws TrainingDiverged {
        optimizer.zeroGrad();
        tape.clear();
        float loss;
        try (Tape.Scope ignored = tape.activate()) {
            Tensor lossTensor = model.loss(batch, teacherForcing);
            loss = lossTensor.at(0);
            if (!Float.isFinite(loss)) {
                throw diverged(model, epoch, batchIndex, stepNumber, "the loss is " + loss);
            }
            tape.backward(lossTensor);
        }
        tape.clear();
        for (Tensor parameter : model.parameters()) {
            float[] gradient = parameter.gradData();
            // A NaN or an infinity anywhere makes the (vector) sum non-finite; only then is the
            // gradient searched element by element, to name the first bad one.
            if (Float.isFinite(Backend.kernels().sum(gradient, parameter.offset(), parameter.size()))) {
                continue;
            }
            for (int i = parameter.offset(), end = i + parameter.size(); i < end; i++) {
                if (!Float.isFinite(gradient[i])) {
                    throw diverged(model, epoch, batchIndex, stepNumber, "the gradient of " + parameter.name()
                            + " is " + gradient[i] + " at element " + (i - parameter.offset()));
                }
            }
        }
        optimizer.step();
        return loss;
    }

    private static TrainingDiverged diverged(Seq2SeqModel model, int epoch, int batchIndex, long stepNumber,
                                             String what) {
        String parameter = "";
        for (Tensor p : model.parameters()) {
            for (int i = 0; i < p.size(); i++) {
                if (!Float.isFinite(p.at(i))) {
                    parameter = "; the first non-finite weight is in " + p.name();
                    break;
                }
            }
            if (!parameter.isEmpty()) {
                break;
            }
        }
        return new TrainingDiverged("training diverged at step " + stepNumber + " (epoch " + epoch + ", batch "
                + (batchIndex + 1) + "): " + what + parameter + ". The last good checkpoint is kept as it was;"
                + " try a lower --lr or --clip-norm 1");
    }

    private void showSamples(Seq2SeqModel model, List<Corpus.Example> pool) {
        List<String> sources = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < Math.min(SAMPLES_SHOWN, pool.size()); i++) {
            Corpus.Example example = pool.get(i * pool.size() / SAMPLES_SHOWN);
            sources.add(example.pair().source());
            targets.add(example.pair().target());
        }
        List<String> outputs = new Translator(model, Translator.defaultMaxLength(model), 64)
                .translate(sources, new PrintStream(java.io.OutputStream.nullOutputStream()));
        for (int i = 0; i < sources.size(); i++) {
            out.println("  > " + sources.get(i));
            out.println("  = " + targets.get(i));
            out.println("  < " + outputs.get(i));
        }
    }
}
