package dev.seq2seq.translator.train;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.OpProfile;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.nn.optim.Optimizer;
import dev.seq2seq.nn.optim.WeightAverage;
import dev.seq2seq.translator.data.Batch;
import dev.seq2seq.translator.data.Corpus;
import dev.seq2seq.translator.data.Padding;
import dev.seq2seq.translator.decode.BatchTranslator;
import dev.seq2seq.translator.eval.Evaluation;
import dev.seq2seq.translator.model.ModelFile.Contents;
import dev.seq2seq.translator.model.ModelFile;
import dev.seq2seq.translator.model.RateSchedule;
import dev.seq2seq.translator.model.Seq2SeqModel;
import dev.seq2seq.translator.model.TrainingState.EpochRecord;
import dev.seq2seq.translator.model.TrainingState.TrainingSettings;
import dev.seq2seq.translator.model.TrainingState;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The training loop: shuffled batches, teacher forcing (or not), RMSprop or Adam; after every
 * epoch the validation loss and accuracy, a checkpoint (and the best one beside it), the loss
 * curve, and every few epochs a few greedy translations, so that a collapse ("the same output
 * for every input") shows early.
 *
 * <p>A run that keeps a moving average of its weights ({@link WeightAverage}) updates it after
 * every step, and validates, shows, saves for translation and keeps as the best epoch the
 * averages; it trains on from the weights themselves, and the epoch line gives their validation
 * figures too.
 *
 * <p>Everything random derives from the seed and the epoch number, and the checkpoint holds the
 * position inside an interrupted epoch, so a resumed run computes exactly what an uninterrupted
 * one would have.
 */
public final class Trainer {
    static final int VALIDATION_BATCH = 256;
    static final int SAMPLES_SHOWN = 3;

    private final RunFiles files;
    private final int sampleEvery;
    private final int earlyStopping;
    private final TrainingView view;
    private final PrintStream out;
    private volatile boolean stopRequested;
    /** Where the training steps' op times go; null when not profiling. */
    private OpProfile profile;
    /** When the time budget ends, as System.nanoTime(); none until {@link #stopAt}. */
    private long deadline;
    private boolean hasDeadline;

    /**
     * @param earlyStopping stop when the validation loss has not improved for this many epochs; 0 = never
     * @param view          the progress meter and the pictures ({@link TrainingView#NONE}: none)
     * @param out           where the epoch lines, samples and notices are printed
     */
    public Trainer(RunFiles files, int sampleEvery, int earlyStopping, TrainingView view, PrintStream out) {
        this.files = files;
        this.sampleEvery = sampleEvery;
        this.earlyStopping = earlyStopping;
        this.view = view;
        this.out = out;
    }

    /** How a run ended. */
    public enum Outcome { COMPLETED, STOPPED_EARLY, INTERRUPTED, OUT_OF_TIME }

    /** Asks the loop to stop after the current batch and save (from Ctrl-C). */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * A time budget (--max-time): once System.nanoTime() passes {@code nanoTime}, the loop stops
     * after the current batch, saves a resumable checkpoint, and the best epoch's stays beside it.
     */
    public void stopAt(long nanoTime) {
        deadline = nanoTime;
        hasDeadline = true;
    }

    /** Times every op of every training step into {@code profile} (forward and backward, by shapes). */
    public void profile(OpProfile profile) {
        this.profile = profile;
    }

    private boolean outOfTime() {
        return hasDeadline && System.nanoTime() - deadline >= 0;
    }

    public static String lossKind(Padding padding) {
        return padding == Padding.KERAS ? "Keras: mean over every padded position" : "mean over real target tokens";
    }

    /** What the loop carries from epoch to epoch; the checkpoint's {@link TrainingState} is made from it. */
    private static final class Position {
        final TrainingSettings settings;
        final List<EpochRecord> history;
        final Map<Integer, Double> seconds;
        long iterations;
        double best;
        /** The rate the epochs run at ({@link #learningRate}), before any per-step schedule. */
        float epochRate;

        Position(TrainingState start, Map<Integer, Double> seconds) {
            this.settings = start.settings();
            this.epochRate = settings.learningRate();
            this.history = new ArrayList<>(start.history());
            this.seconds = seconds;
            this.iterations = start.iterations();
            this.best = start.bestValidation();
        }

        TrainingState state(int epochsDone, int batchesDone, double partialLossSum) {
            return new TrainingState(settings, epochsDone, batchesDone, partialLossSum, iterations, history, best);
        }
    }

    /**
     * Trains from {@code start} to the planned number of epochs. Per epoch: train on every batch,
     * validate, save, draw, show samples. Ctrl-C ({@link #requestStop}) saves where the run stands.
     */
    public Outcome run(Corpus corpus, Seq2SeqModel model, Optimizer optimizer, TrainingState start)
            throws IOException, TrainingDiverged {
        if (start.settings().averagesWeights()) {
            // its checkpoints would lack the averages its settings promise, and could not be resumed
            throw new IllegalArgumentException("these settings keep a moving average of the weights: train with"
                    + " run(TrainingRun), which carries it");
        }
        return run(corpus, model, optimizer, null, start);
    }

    /** The run {@code run} describes, from where its state stands. */
    public Outcome run(TrainingRun run) throws IOException, TrainingDiverged {
        return run(run.corpus(), run.model(), run.optimizer(), run.average(), run.state());
    }

    /** As {@link #run(Corpus, Seq2SeqModel, Optimizer, TrainingState)}, keeping {@code average} (null: none). */
    public Outcome run(Corpus corpus, Seq2SeqModel model, Optimizer optimizer, WeightAverage average,
                       TrainingState start) throws IOException, TrainingDiverged {
        Position position = new Position(start,
                start.epochsDone() > 0 ? HistoryFile.readSeconds(files.history()) : new HashMap<>());
        Tape tape = new Tape();
        for (int epoch = start.epochsDone() + 1; epoch <= position.settings.epochs(); epoch++) {
            boolean resumed = epoch == start.epochsDone() + 1;
            List<int[]> plan = plan(corpus, model, position, epoch, resumed ? start.batchesDone() : 0);
            scheduleLearningRate(optimizer, position);
            long began = System.nanoTime();
            EpochProgress trained = trainEpoch(corpus, model, optimizer, average, tape, position, epoch, plan,
                    resumed ? start.batchesDone() : 0);
            double lossSum = (resumed ? start.partialLossSum() : 0) + trained.lossSum();
            if (trained.batchesDone() < plan.size()) {
                savePaused(model, optimizer, average, position, epoch, trained.batchesDone(), plan.size(), lossSum);
                if (!stopRequested) {
                    out.println("the time budget is spent; the best epoch so far is in " + files.best()
                            + " (--resume goes on)");
                    return Outcome.OUT_OF_TIME;
                }
                return Outcome.INTERRUPTED;
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            double trainLoss = lossSum / corpus.training().size();
            EpochRecord ofWeights = average == null ? null
                    : validate(model, corpus, epoch, trainLoss, position.settings.chrfSample());
            int finished = epoch;
            EpochRecord record = withAverages(average, () -> validate(model, corpus, finished, trainLoss,
                    position.settings.chrfSample()));
            printEpoch(record, ofWeights, position, seconds, trained.samples());
            saveEpoch(model, optimizer, average, position, record, seconds);
            if (sampleEvery > 0 && (epoch % sampleEvery == 0 || epoch == position.settings.epochs())) {
                List<Corpus.Example> pool = corpus.validation().isEmpty() ? corpus.training() : corpus.validation();
                withAverages(average, () -> {
                    showSamples(model, pool);
                    return null;
                });
            }
            if (stopRequested) {
                out.println("stopped after epoch " + epoch + "; saved " + files.model() + " (continue with --resume)");
                return Outcome.INTERRUPTED;
            }
            if (stopsEarly(position, epoch)) {
                return Outcome.STOPPED_EARLY;
            }
            if (outOfTime() && epoch < position.settings.epochs()) {
                out.println("the time budget is spent after epoch " + epoch + "; saved " + files.model()
                        + ", the best epoch in " + files.best() + " (--resume goes on)");
                return Outcome.OUT_OF_TIME;
            }
        }
        return Outcome.COMPLETED;
    }

    /** The epoch's batches; a saved position past their end is a damaged checkpoint. */
    private List<int[]> plan(Corpus corpus, Seq2SeqModel model, Position position, int epoch, int firstBatch)
            throws IOException {
        List<int[]> plan = BatchPlan.epoch(corpus.training(), position.settings.batchSize(),
                model.config().padding(), position.settings.seed(), epoch);
        if (firstBatch > plan.size()) {
            throw new IOException(files.model() + ": the saved position (batch " + firstBatch + ") is past the"
                    + " end of an epoch of " + plan.size() + " batches");
        }
        return plan;
    }

    /** Ctrl-C inside an epoch: the checkpoint records the batches done, so --resume goes on from there. */
    private void savePaused(Seq2SeqModel model, Optimizer optimizer, WeightAverage average, Position position,
                            int epoch, int batchesDone, int batches, double lossSum) throws IOException {
        ModelFile.save(files.model(), model, optimizer, average, position.state(epoch - 1, batchesDone, lossSum),
                Contents.RESUMABLE);
        out.printf(Locale.ROOT, "%nstopped in epoch %d after batch %d of %d; saved %s (continue with --resume)%n",
                epoch, batchesDone, batches, files.model());
    }

    /** The epoch line; {@code ofWeights} (the weights' own figures when the averages were validated) may be null. */
    private void printEpoch(EpochRecord record, EpochRecord ofWeights, Position position, double seconds,
                            int samples) {
        out.printf(Locale.ROOT, "epoch %3d/%d  loss %.4f  val_loss %.4f  val_acc %.4f%s  %.1f s  %.0f samples/s%s%n",
                record.epoch(), position.settings.epochs(), record.trainLoss(), record.validationLoss(),
                record.validationAccuracy(), chrF(record), seconds, samples / seconds, ofWeights == null ? ""
                        : String.format(Locale.ROOT, "  (averaged; the weights: val_loss %.4f  val_acc %.4f%s)",
                        ofWeights.validationLoss(), ofWeights.validationAccuracy(), chrF(ofWeights)));
    }

    private static String chrF(EpochRecord record) {
        return Double.isNaN(record.validationChrF()) ? ""
                : String.format(Locale.ROOT, "  val_chrF2 %.2f", record.validationChrF());
    }

    /** With --early-stopping N: true (and says why) once N epochs have passed without a better validation loss. */
    private boolean stopsEarly(Position position, int epoch) {
        int sinceBest = epochsSinceBest(position.history);
        if (earlyStopping == 0 || sinceBest < earlyStopping || epoch == position.settings.epochs()) {
            return false;
        }
        boolean byChrF = position.best < 0;
        out.printf(Locale.ROOT, "early stopping: the validation %s has not improved for %d epochs (best %.4f, at"
                + " epoch %d, kept in %s)%n", byChrF ? "chrF2" : "loss", sinceBest,
                byChrF ? -position.best : position.best, epoch - sinceBest, files.best());
        return true;
    }

    /**
     * What {@link #trainEpoch} did: the batches done so far in the epoch, the sum of this call's
     * batch losses (each weighted by its batch size), and its samples.
     */
    private record EpochProgress(int batchesDone, double lossSum, int samples) {
    }

    /** One optimiser step per batch from {@code firstBatch} on; fewer batches when Ctrl-C arrives. */
    private EpochProgress trainEpoch(Corpus corpus, Seq2SeqModel model, Optimizer optimizer, WeightAverage average,
                                     Tape tape, Position position, int epoch, List<int[]> plan, int firstBatch)
            throws TrainingDiverged {
        double lossSum = 0;
        int samples = 0;
        tape.profile(profile); // (re)starts its clock: validation and checkpoints are not steps
        try (TrainingView.EpochMeter progress = view.epoch(String.format(Locale.ROOT, "epoch %d/%d", epoch,
                position.settings.epochs()), plan.size())) {
            for (int b = firstBatch; b < plan.size(); b++) {
                if (position.settings.rateSchedule() == RateSchedule.LINEAR) {
                    optimizer.setLearningRate(stepRate(position.settings, position.epochRate, position.iterations,
                            plan.size()));
                }
                Batch batch = model.batch(BatchPlan.examples(corpus.training(), plan.get(b)));
                float loss = step(model, optimizer, tape, batch, position.settings.teacherForcing(),
                        position.settings.labelSmoothing(), epoch, b, position.iterations + 1);
                if (average != null) {
                    average.update(position.iterations);
                    tape.mark("(weight average)");
                }
                position.iterations++;
                lossSum += (double) loss * batch.size();
                samples += batch.size();
                progress.step(b + 1, lossSum / samples);
                if ((stopRequested || outOfTime()) && b + 1 < plan.size()) {
                    return new EpochProgress(b + 1, lossSum, samples);
                }
            }
        }
        return new EpochProgress(plan.size(), lossSum, samples);
    }

    /**
     * The epoch's validation figures; with {@code chrfSample} > 0 also the chrF2 of greedy
     * translations of the first {@code chrfSample} distinct validation sources (always the same ones,
     * so epochs compare), each against all its references.
     */
    private static EpochRecord validate(Seq2SeqModel model, Corpus corpus, int epoch, double trainLoss,
                                        int chrfSample) {
        Seq2SeqModel.BatchStats validation = Evaluation.teacherForced(model, corpus.validation(), VALIDATION_BATCH);
        double loss = validation.positions() == 0 ? Double.NaN : validation.lossSum() / validation.positions();
        double accuracy = validation.positions() == 0 ? Double.NaN
                : (double) validation.correct() / validation.positions();
        double chrF = Double.NaN;
        if (chrfSample > 0 && !corpus.validation().isEmpty()) {
            chrF = Evaluation.sampleChrF(model, corpus.validation(), chrfSample, VALIDATION_BATCH);
        }
        return new EpochRecord(epoch, trainLoss, loss, accuracy, chrF);
    }

    /**
     * What picks the best epoch, lower being better: minus the validation chrF2 when it is measured,
     * else the validation loss, else (no validation) the training loss.
     */
    static double selectionScore(EpochRecord record) {
        if (!Double.isNaN(record.validationChrF())) {
            return -record.validationChrF();
        }
        return Double.isNaN(record.validationLoss()) ? record.trainLoss() : record.validationLoss();
    }

    /**
     * Adds the epoch to the run's history, then writes the checkpoint, the best one when this epoch
     * is the best so far, the history file and the curve.
     */
    private void saveEpoch(Seq2SeqModel model, Optimizer optimizer, WeightAverage average, Position position,
                           EpochRecord record, double seconds) throws IOException {
        position.history.add(record);
        position.seconds.put(record.epoch(), seconds);
        double score = selectionScore(record);
        boolean improved = score < position.best;
        position.best = Math.min(position.best, score);
        TrainingState done = position.state(record.epoch(), 0, 0);
        ModelFile.save(files.model(), model, optimizer, average, done, Contents.RESUMABLE);
        if (improved) {
            ModelFile.save(files.best(), model, null, average, done, Contents.WEIGHTS_AND_HISTORY);
        }
        HistoryFile.write(files.history(), position.history, position.seconds);
        view.epochSaved(files, List.copyOf(position.history), settingsLine(model, position.settings),
                lossKind(model.config().padding()));
    }

    /** "LSTM, latent 256, char level, masked padding; batch 64, RMSprop lr 0.001": the curve's subtitle. */
    static String settingsLine(Seq2SeqModel model, TrainingSettings settings) {
        return String.format(Locale.ROOT, "%s, latent %d, %s level, %s padding; batch %d, %s lr %s%s%s%s",
                model.config().cell().name(), model.config().latent(), model.config().level(),
                model.config().padding(), settings.batchSize(), settings.optimizer().display(), settings.learningRate(),
                (settings.lrDecay() < 1 ? " (decay " + settings.lrDecay() + ")" : "")
                        + (settings.rateSchedule() == RateSchedule.LINEAR ? " falling linearly to 0" : ""),
                (settings.labelSmoothing() > 0 ? ", label smoothing " + settings.labelSmoothing() : "")
                        + (settings.clipNorm() > 0 ? ", clip " + settings.clipNorm() : ""),
                settings.teacherForcing() ? "" : ", no teacher forcing");
    }

    /**
     * The learning rate of the epoch after {@code history}: the settings' rate, multiplied by the
     * decay once for every epoch of the history that did not improve on the best selection score
     * before it (OpenNMT's "decay when validation stops improving"). It is a function of the history
     * alone, which the checkpoint holds, so a resumed run goes on at the rate an uninterrupted one
     * would have.
     */
    static float learningRate(TrainingSettings settings, List<EpochRecord> history) {
        float rate = settings.learningRate();
        double best = Double.POSITIVE_INFINITY;
        for (EpochRecord record : history) {
            double score = selectionScore(record);
            if (score < best) {
                best = score;
            } else {
                rate *= settings.lrDecay();
            }
        }
        return rate;
    }

    /**
     * The rate of the step after {@code stepsDone} steps of the run: the epoch's rate, and with the
     * linear schedule that rate times 1 - stepsDone / K, K being every step of the planned epochs
     * ({@code stepsPerEpoch} each), so the last step runs at 1 / K of it and the next would run at
     * zero. A function of the step count, which the checkpoint holds: a resumed run goes on along
     * the same line.
     */
    static float stepRate(TrainingSettings settings, float epochRate, long stepsDone, int stepsPerEpoch) {
        if (settings.rateSchedule() == RateSchedule.PLATEAU) {
            return epochRate;
        }
        long steps = (long) settings.epochs() * stepsPerEpoch;
        if (stepsDone < 0 || stepsDone >= steps) {
            throw new IllegalArgumentException("step " + (stepsDone + 1) + " is outside the " + steps
                    + " steps of the planned epochs");
        }
        return (float) (epochRate * ((double) (steps - stepsDone) / steps));
    }

    /** Sets the optimiser's rate for the coming epoch, and says so when the epoch's rate changes. */
    private void scheduleLearningRate(Optimizer optimizer, Position position) {
        float rate = learningRate(position.settings, position.history);
        if (rate != position.epochRate) {
            position.epochRate = rate;
            EpochRecord last = position.history.get(position.history.size() - 1);
            String score = !Double.isNaN(last.validationChrF()) ? "validation chrF2"
                    : Double.isNaN(last.validationLoss()) ? "training loss" : "validation loss";
            // 0.00025, not Float.toString's 2.5E-4
            String plain = new java.math.BigDecimal(Float.toString(rate)).stripTrailingZeros().toPlainString();
            out.printf(Locale.ROOT, "learning rate %s from epoch %d (epoch %d did not improve on the best %s)%n",
                    plain, last.epoch() + 1, last.epoch(), score);
        }
        optimizer.setLearningRate(rate);
    }

    /** Epochs since the best one by {@link #selectionScore}. */
    private static int epochsSinceBest(List<EpochRecord> history) {
        int bestEpoch = 0;
        double best = Double.POSITIVE_INFINITY;
        for (EpochRecord record : history) {
            double score = selectionScore(record);
            if (score < best) {
                best = score;
                bestEpoch = record.epoch();
            }
        }
        return history.isEmpty() ? 0 : history.get(history.size() - 1).epoch() - bestEpoch;
    }

    /**
     * Forward and backward over the first {@code batches} batches of the training set, then one
     * batch of the validation set forward alone, with no update: the JIT then compiles the whole
     * training path (ops, recurrences, loss) before the first epoch is timed. Nothing is
     * changed: not the weights, not the optimiser, not the batch order; the gradients it leaves
     * are cleared by the first real step. Returns the seconds.
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
        // Then forward alone, as validation runs it (no tape; the recurrences keep one step, not
        // all). Without it the JIT compiles the recurrences' steps from profiles of training alone,
        // and the first validation makes it throw that code away (a branch never taken in
        // training): most of the next epoch then ran in the profiling code of the tier below until
        // the steps were compiled again, 1.8 s of a two-epoch run.
        List<Corpus.Example> validation = corpus.validation();
        Evaluation.teacherForced(model, validation.subList(0, Math.min(validation.size(), batchSize)), batchSize);
        return (System.nanoTime() - began) / 1e9;
    }

    /**
     * One optimiser step on one batch (the numbers only name the step if it diverges); returns the
     * batch loss.
     */
    public static float step(Seq2SeqModel model, Optimizer optimizer, Tape tape, Batch batch, boolean teacherForcing,
                              int epoch, int batchIndex, long stepNumber) throws TrainingDiverged {
        return step(model, optimizer, tape, batch, teacherForcing, 0f, epoch, batchIndex, stepNumber);
    }

    /** As the step above, against targets smoothed by {@code labelSmoothing}; returns that (smoothed) batch loss. */
    public static float step(Seq2SeqModel model, Optimizer optimizer, Tape tape, Batch batch, boolean teacherForcing,
                              float labelSmoothing, int epoch, int batchIndex, long stepNumber)
            throws TrainingDiverged {
        tape.mark("(between steps: batch, progress)");
        optimizer.zeroGrad();
        tape.clear();
        tape.mark("(zero gradients)");
        float loss;
        try (Tape.Scope ignored = tape.activate()) {
            Tensor lossTensor = model.loss(batch, teacherForcing, stepNumber, labelSmoothing);
            loss = lossTensor.at(0);
            if (!Float.isFinite(loss)) {
                throw diverged(model, epoch, batchIndex, stepNumber, "the loss is " + loss);
            }
            tape.backward(lossTensor);
        }
        tape.clear();
        for (Tensor parameter : model.parameters()) {
            if (GradientCheck.finite(parameter)) {
                continue;
            }
            int bad = parameter.grad().firstNonFinite();
            throw diverged(model, epoch, batchIndex, stepNumber, "the gradient of " + parameter.name()
                    + (bad >= 0 ? " is " + parameter.grad().at(bad) + " at element " + bad
                    : " has values so large that their sum overflows"));
        }
        tape.mark("(gradient check)");
        optimizer.step();
        tape.mark("(" + optimizer.displayName() + " update)");
        return loss;
    }

    private static TrainingDiverged diverged(Seq2SeqModel model, int epoch, int batchIndex, long stepNumber,
                                             String what) {
        String parameter = "";
        for (Tensor p : model.parameters()) {
            if (p.firstNonFinite() >= 0) {
                parameter = "; the first non-finite weight is in " + p.name();
                break;
            }
        }
        return new TrainingDiverged("training diverged at step " + stepNumber + " (epoch " + epoch + ", batch "
                + (batchIndex + 1) + "): " + what + parameter + ". The last good checkpoint is kept as it was;"
                + " try a lower --lr or --clip-norm 1");
    }

    /** What {@code work} computes with the averages in the model's weights (the weights themselves when null). */
    private static <T> T withAverages(WeightAverage average, java.util.function.Supplier<T> work) {
        if (average == null) {
            return work.get();
        }
        average.swap();
        try {
            return work.get();
        } finally {
            average.swap();
        }
    }

    private void showSamples(Seq2SeqModel model, List<Corpus.Example> pool) {
        List<String> sources = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < Math.min(SAMPLES_SHOWN, pool.size()); i++) {
            Corpus.Example example = pool.get(i * pool.size() / SAMPLES_SHOWN);
            sources.add(example.pair().source());
            targets.add(example.pair().target());
        }
        List<String> outputs = new BatchTranslator(model, BatchTranslator.defaultMaxLength(model), 64)
                .translate(sources, new PrintStream(OutputStream.nullOutputStream()));
        for (int i = 0; i < sources.size(); i++) {
            out.println("  > " + sources.get(i));
            out.println("  = " + targets.get(i));
            out.println("  < " + outputs.get(i));
        }
    }
}
