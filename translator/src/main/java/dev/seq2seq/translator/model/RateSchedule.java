package dev.seq2seq.translator.model;

import java.util.Locale;

/**
 * How the learning rate moves within a run (besides {@code --lr-decay}, which multiplies it after
 * every epoch that does not improve on the best validation score).
 *
 * <ul>
 *   <li>{@link #PLATEAU} (default): the rate changes only between epochs, by that decay; with a
 *       decay of 1 it is constant.</li>
 *   <li>{@link #LINEAR}: besides, the rate falls step by step in a straight line, from its value
 *       at the first step to zero after the last step of the last planned epoch: step k of K runs
 *       at rate x (1 - k / K). A run that must end within a fixed budget gets most of what the
 *       last epochs at a small rate give (the loss settles into the valley the large steps kept
 *       jumping over) without having to guess when to start decaying: Li, Yumer and Ramanan, 2020,
 *       "Budgeted Training: Rethinking Deep Neural Network Training Under Resource Constraints",
 *       found a linear fall to zero the best schedule for a given number of steps. K depends on
 *       {@code --epochs}: resuming with a new total draws a new line from the step reached.</li>
 * </ul>
 */
public enum RateSchedule {
    PLATEAU,
    LINEAR;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT); // as users type it, and picocli completes it
    }
}
