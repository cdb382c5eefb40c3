package dev.seq2seq.app.model;

import java.util.List;

/**
 * Where a training run stands, saved in every checkpoint so that {@code --resume} continues it
 * exactly: the settings, the epochs done, and the position inside an interrupted epoch.
 *
 * @param epochsDone      completed epochs
 * @param batchesDone     batches of epoch {@code epochsDone + 1} already applied (non-zero after Ctrl-C)
 * @param partialLossSum  sum of batch losses of those batches
 * @param iterations      optimiser steps so far
 * @param history         one record per completed epoch
 * @param bestValidation  lowest validation loss so far
 */
public record TrainingState(TrainingSettings settings, int epochsDone, int batchesDone, double partialLossSum,
                            long iterations, List<EpochRecord> history, double bestValidation) {

    public TrainingState {
        history = List.copyOf(history);
    }

    /** What one epoch measured. */
    public record EpochRecord(int epoch, double trainLoss, double validationLoss, double validationAccuracy,
                              double seconds) {
    }

    /** The training options a resumed run must keep. */
    public record TrainingSettings(String data, int numSamples, double validationSplit, int batchSize,
                                   float learningRate, float clipNorm, boolean teacherForcing, long seed, int epochs) {
    }
}
