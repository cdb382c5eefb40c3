package dev.seq2seq.translator.train;

import dev.seq2seq.translator.data.PairFileReader;
import dev.seq2seq.translator.model.TrainingState.TrainingSettings;

/**
 * The settings of the seed's job (Keras's lstm_seq2seq.py), written once: {@code train}'s defaults
 * and what {@code bench} times.
 */
public final class SeedJob {
    public static final int NUM_SAMPLES = 10_000;
    public static final double VALIDATION_SPLIT = 0.2;
    public static final int BATCH = 64;
    public static final int LATENT = 256;
    public static final int EPOCHS = 100;
    public static final float LEARNING_RATE = 0.001f;
    public static final long SEED = 42;

    private SeedJob() {
    }

    /** The seed's training settings on the bundled data, for {@code epochs} epochs (no clipping, teacher forcing). */
    public static TrainingSettings settings(int epochs) {
        return new TrainingSettings(PairFileReader.BUNDLED_DATA, null, NUM_SAMPLES, VALIDATION_SPLIT, BATCH,
                LEARNING_RATE, 0f, true, SEED, epochs);
    }
}
