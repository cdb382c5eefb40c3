package dev.seq2seq.translator.train;

import dev.seq2seq.translator.model.TrainingState.EpochRecord;
import java.util.List;

/**
 * What a {@link Trainer} shows besides its printed lines: a meter for the batches of an epoch, and
 * whatever is drawn once an epoch is saved. The library draws nothing itself; the command line
 * gives a terminal progress bar and a loss-curve picture, a program may give its own or
 * {@link #NONE}.
 */
public interface TrainingView {
    /** Shows nothing. */
    TrainingView NONE = new TrainingView() {
        @Override
        public EpochMeter epoch(String task, int batches) {
            return (done, meanLoss) -> {
            };
        }

        @Override
        public void epochSaved(RunFiles files, List<EpochRecord> history, String settings, String lossKind) {
        }
    };

    /** A meter for one epoch of {@code batches} batches ("epoch 3/10"); closed when the epoch ends. */
    EpochMeter epoch(String task, int batches);

    /**
     * Called after each epoch's checkpoint and history are written, with every epoch so far, a
     * line naming the settings, and what the loss is a mean of; e.g. to draw the loss curve into
     * {@link RunFiles#curve()}. Problems are the view's to report: training goes on.
     */
    void epochSaved(RunFiles files, List<EpochRecord> history, String settings, String lossKind);

    /** The progress of one epoch. */
    @FunctionalInterface
    interface EpochMeter extends AutoCloseable {
        /** {@code done} batches so far; {@code meanLoss} the mean loss over them. */
        void step(long done, double meanLoss);

        @Override
        default void close() {
        }
    }
}
