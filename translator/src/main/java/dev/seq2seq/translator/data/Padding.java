package dev.seq2seq.translator.data;

import java.util.Locale;

/**
 * What happens to the positions after a sentence's end in a padded batch.
 *
 * <ul>
 *   <li>{@link #MASKED} (default): a batch is as long as its longest sentence; the encoder's state
 *       is taken at each sentence's true end, the decoder's loss only counts real target
 *       positions, and the reported loss is the mean over those.</li>
 *   <li>{@link #KERAS}: what the seed's Keras example does. Every batch is as long as the longest
 *       sentence of the whole data, the encoder reads the padding too, and the decoder is trained
 *       to predict padding after the end, those positions counting in the mean loss. (Keras pads
 *       with the space character; here a padding token plays that part.)</li>
 * </ul>
 */
public enum Padding {
    MASKED,
    KERAS;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT); // as users type it, and picocli completes it
    }
}
