package dev.seq2seq.translator.model;

import dev.seq2seq.nn.io.CheckpointException;
import dev.seq2seq.translator.data.HeldOut;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a training run stands, saved in every checkpoint so that {@code --resume} continues it
 * exactly: the settings, the epochs done, and the position inside an interrupted epoch. Nothing
 * here depends on the clock (the epochs' durations go to the history file beside the
 * checkpoint), so the same data, settings and seed give the same checkpoint, byte for byte.
 *
 * @param epochsDone      completed epochs
 * @param batchesDone     batches of epoch {@code epochsDone + 1} already applied (non-zero after Ctrl-C)
 * @param partialLossSum  sum of batch losses of those batches
 * @param iterations      optimiser steps so far
 * @param history         one record per completed epoch
 * @param bestValidation  the best selection score so far, lower being better: the validation loss, or
 *                        minus the validation chrF2 when the run measures it (--chrf-sample)
 */
public record TrainingState(TrainingSettings settings, int epochsDone, int batchesDone, double partialLossSum,
                            long iterations, List<EpochRecord> history, double bestValidation) {
    /** More epochs than any run here could train; a bound on what a checkpoint may claim. */
    public static final int MAX_EPOCHS = 1_000_000;
    /** The largest batch accepted (a batch of 64 is the seed's). */
    public static final int MAX_BATCH = 1 << 16;
    private static final Pattern SHA_256 = Pattern.compile("[0-9a-f]{64}");

    public TrainingState {
        history = List.copyOf(history);
    }

    /** What one epoch measured. */
    /** One epoch's figures; validationChrF is NaN unless the run measures it (--chrf-sample). */
    public record EpochRecord(int epoch, double trainLoss, double validationLoss, double validationAccuracy,
                              double validationChrF) {

        public EpochRecord(int epoch, double trainLoss, double validationLoss, double validationAccuracy) {
            this(epoch, trainLoss, validationLoss, validationAccuracy, Double.NaN);
        }
    }

    /**
     * The training options a resumed run must keep.
     *
     * @param data       the pair file's absolute path, or "bundled"
     * @param dataSha256 the SHA-256 of that file's bytes: a resumed or evaluated run refuses a file
     *                   that has changed since
     * @param vocabularySize how many of each side's most frequent training tokens the vocabularies
     *                   keep (0: every token of the data)
     * @param merges     at the pieces level, how many BPE merges each side learns
     * @param lrDecay    the factor the learning rate is multiplied by after each epoch that does not
     *                   improve on the best selection score so far (1: a constant rate)
     * @param labelSmoothing the share e of each training target spread evenly over the target
     *                   vocabulary (0: none); the validation loss is always the plain cross-entropy
     * @param rateSchedule how the rate moves within the run besides the decay ({@link RateSchedule})
     * @param optimizer  the optimiser the run trains with
     * @param averageDecay the decay of the moving average of the weights that is validated and saved
     *                   for translation (0: none, the weights themselves)
     */
    public record TrainingSettings(String data, String dataSha256, int numSamples, double validationSplit,
                                   int batchSize, float learningRate, float clipNorm, boolean teacherForcing,
                                   long seed, int epochs, double testFraction,
                                   HeldOut.ValidationBy validationBy, int chrfSample, int vocabularySize,
                                   int merges, float lrDecay, float labelSmoothing,
                                   RateSchedule rateSchedule, OptimizerKind optimizer, float averageDecay) {

        public TrainingSettings {
            if (!(lrDecay > 0 && lrDecay <= 1)) {
                throw new IllegalArgumentException("the learning rate decay must be in (0, 1], got " + lrDecay);
            }
            if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
                throw new IllegalArgumentException("the label smoothing must be in [0, 1), got " + labelSmoothing);
            }
            java.util.Objects.requireNonNull(rateSchedule, "rateSchedule");
            java.util.Objects.requireNonNull(optimizer, "optimizer");
            if (!(averageDecay >= 0 && averageDecay < 1)) {
                throw new IllegalArgumentException("the weight average's decay must be in [0, 1), got "
                        + averageDecay);
            }
        }

        /** Settings that train without a moving average of the weights. */
        public TrainingSettings(String data, String dataSha256, int numSamples, double validationSplit,
                                int batchSize, float learningRate, float clipNorm, boolean teacherForcing,
                                long seed, int epochs, double testFraction,
                                HeldOut.ValidationBy validationBy, int chrfSample, int vocabularySize,
                                int merges, float lrDecay, float labelSmoothing,
                                RateSchedule rateSchedule, OptimizerKind optimizer) {
            this(data, dataSha256, numSamples, validationSplit, batchSize, learningRate, clipNorm, teacherForcing,
                    seed, epochs, testFraction, validationBy, chrfSample, vocabularySize, merges, lrDecay,
                    labelSmoothing, rateSchedule, optimizer, 0f);
        }

        /** Whether the run keeps a moving average of the weights ({@code averageDecay} > 0). */
        public boolean averagesWeights() {
            return averageDecay > 0;
        }

        /** The settings of the seed's data split: validation at the end, no test set. */
        public TrainingSettings(String data, String dataSha256, int numSamples, double validationSplit, int batchSize,
                                float learningRate, float clipNorm, boolean teacherForcing, long seed, int epochs) {
            this(data, dataSha256, numSamples, validationSplit, batchSize, learningRate, clipNorm, teacherForcing, seed,
                    epochs, 0, HeldOut.ValidationBy.END, 0, 0, 0, 1f, 0f, RateSchedule.PLATEAU, OptimizerKind.RMSPROP);
        }

        /** Which pairs are held out, and how they are drawn (from this run's seed). */
        public HeldOut heldOut() {
            return new HeldOut(testFraction, validationSplit, validationBy, seed);
        }

        /** The same settings for another total of epochs. */
        public TrainingSettings withEpochs(int total) {
            return new TrainingSettings(data, dataSha256, numSamples, validationSplit, batchSize, learningRate,
                    clipNorm, teacherForcing, seed, total, testFraction, validationBy, chrfSample, vocabularySize, merges,
                    lrDecay, labelSmoothing, rateSchedule, optimizer, averageDecay);
        }

        /** The same settings for the data read from {@code data}, whose bytes have this SHA-256. */
        public TrainingSettings withData(String path, String sha256) {
            return new TrainingSettings(path, sha256, numSamples, validationSplit, batchSize, learningRate, clipNorm,
                    teacherForcing, seed, epochs, testFraction, validationBy, chrfSample, vocabularySize, merges,
                    lrDecay, labelSmoothing, rateSchedule, optimizer, averageDecay);
        }
    }

    /** The stored state, every field checked; the message of a bad one names it. */
    static TrainingState read(Path file, String json) throws CheckpointException {
        MetadataReader state = MetadataReader.parse(file, "training", json);
        MetadataReader s = state.object("settings");
        String data = s.string("data");
        if (data.isBlank()) {
            throw new CheckpointException(file, "metadata field training.settings.data is empty");
        }
        // Checkpoints written before the hash was recorded have none; they are read, and the data unchecked.
        String sha = s.has("dataSha256") ? s.string("dataSha256") : null;
        if (sha != null && !SHA_256.matcher(sha).matches()) {
            throw new CheckpointException(file, "metadata field training.settings.dataSha256 is not a SHA-256 in hex");
        }
        TrainingSettings settings = new TrainingSettings(data, sha,
                s.integer("numSamples", 0, Integer.MAX_VALUE),
                s.number("validationSplit", 0, Math.nextDown(1.0)),
                s.integer("batchSize", 1, MAX_BATCH),
                (float) s.number("learningRate", Float.MIN_VALUE, Float.MAX_VALUE),
                (float) s.number("clipNorm", 0, Float.MAX_VALUE),
                s.bool("teacherForcing"),
                s.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE),
                s.integer("epochs", 1, MAX_EPOCHS),
                // checkpoints written before test sets existed have neither field: no test set, validation at the end
                s.has("testFraction") ? s.number("testFraction", 0, Math.nextDown(1.0)) : 0,
                s.has("validationBy") ? s.choice("validationBy", HeldOut.ValidationBy.class)
                        : HeldOut.ValidationBy.END,
                s.has("chrfSample") ? s.integer("chrfSample", 0, Integer.MAX_VALUE) : 0,
                // older checkpoints kept every token
                s.has("vocabularySize") ? s.integer("vocabularySize", 0, Integer.MAX_VALUE) : 0,
                s.has("merges") ? s.integer("merges", 0, Integer.MAX_VALUE) : 0,
                // older checkpoints trained at a constant rate
                s.has("lrDecay") ? (float) s.number("lrDecay", Float.MIN_VALUE, 1) : 1f,
                // older checkpoints trained against one-hot targets
                s.has("labelSmoothing") ? (float) s.number("labelSmoothing", 0, Math.nextDown(1.0)) : 0f,
                // older checkpoints changed the rate only between epochs
                s.has("rateSchedule") ? s.choice("rateSchedule", RateSchedule.class) : RateSchedule.PLATEAU,
                // older checkpoints trained with RMSprop, the only optimiser then
                s.has("optimizer") ? s.choice("optimizer", OptimizerKind.class) : OptimizerKind.RMSPROP,
                // older checkpoints kept no average of the weights
                s.has("averageDecay") ? (float) s.number("averageDecay", 0, Math.nextDown(1.0)) : 0f);
        if (settings.testFraction() + settings.validationSplit() >= 1) {
            throw new CheckpointException(file, "metadata fields training.settings.testFraction and validationSplit"
                    + " leave nothing to train on");
        }
        int epochsDone = state.integer("epochsDone", 0, settings.epochs());
        int batchesDone = state.integer("batchesDone", 0, Integer.MAX_VALUE);
        double partialLossSum = state.number("partialLossSum", 0, Double.MAX_VALUE);
        long iterations = state.integer("iterations", 0, Long.MAX_VALUE);
        List<EpochRecord> history = new ArrayList<>();
        for (MetadataReader record : state.objects("history")) {
            history.add(new EpochRecord(record.integer("epoch", history.size() + 1, history.size() + 1),
                    record.number("trainLoss", 0, Double.MAX_VALUE, true),
                    record.number("validationLoss", 0, Double.MAX_VALUE, true),
                    record.number("validationAccuracy", 0, 1, true),
                    record.has("validationChrF") ? record.number("validationChrF", 0, 100, true) : Double.NaN));
        }
        if (history.size() != epochsDone) {
            throw new CheckpointException(file, "metadata field training.history has " + history.size()
                    + " epochs but training.epochsDone is " + epochsDone);
        }
        // the best selection score: a validation loss, or minus a validation chrF2 (--chrf-sample)
        double best = state.number("bestValidation", -100, Double.POSITIVE_INFINITY);
        return new TrainingState(settings, epochsDone, batchesDone, partialLossSum, iterations, history, best);
    }
}
