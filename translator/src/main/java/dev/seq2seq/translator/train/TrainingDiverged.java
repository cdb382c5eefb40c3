package dev.seq2seq.translator.train;

/** The loss or a gradient became NaN or infinite: training stops, the last good checkpoint stays. */
public final class TrainingDiverged extends Exception {
    private static final long serialVersionUID = 1L;

    public TrainingDiverged(String message) {
        super(message);
    }
}
