package dev.seq2seq.translator.model;

import java.util.Locale;

/**
 * Which optimiser a run trains with ({@code train --optimizer}); a resumable checkpoint holds its
 * running state under the same name.
 *
 * <ul>
 *   <li>{@link #RMSPROP} (default): the seed's, with Keras's rho 0.9 and epsilon 1e-7.</li>
 *   <li>{@link #ADAM}: PyTorch's defaults, beta1 0.9, beta2 0.999, epsilon 1e-8; one more array
 *       the size of the weights.</li>
 * </ul>
 */
public enum OptimizerKind {
    RMSPROP("RMSprop"),
    ADAM("Adam");

    private final String display;

    OptimizerKind(String display) {
        this.display = display;
    }

    /** "RMSprop", "Adam": as the papers write them, for the lines a run prints. */
    public String display() {
        return display;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT); // as users type it, and picocli completes it
    }
}
