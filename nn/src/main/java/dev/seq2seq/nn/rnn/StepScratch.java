package dev.seq2seq.nn.rnn;

/**
 * Each thread's two arrays for the temporaries of a decoding step (an LSTM's gate
 * pre-activations and tanh(c), a GRU's two projections), which the step writes whole before it
 * reads them and drops when it returns. Made afresh, they were zeroed by the JVM at every step
 * only to be written over: 160 KB a step for a group of 32 sentences on a core. Greedy decoding
 * of 192 sentences in batches of 64 (a core's group of 32 at a time), the median pass of each run,
 * runs alternated: 6,370-6,550 sentences/s with new arrays against 6,780-6,890 with these (three
 * runs each way), then 5,840-6,590 against 5,940-6,880 (five each way, medians 6,340 and 6,500).
 * Only {@code inferenceStep} and {@code stepUnits} use them, each thread its own, and neither
 * calls the other.
 */
final class StepScratch {
    private static final ThreadLocal<float[][]> ARRAYS =
            ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0]});

    private StepScratch() {
    }

    /** The calling thread's first array, at least {@code size} floats long, holding anything. */
    static float[] first(int size) {
        return array(0, size);
    }

    /** The calling thread's second array, at least {@code size} floats long, holding anything. */
    static float[] second(int size) {
        return array(1, size);
    }

    private static float[] array(int which, int size) {
        float[][] arrays = ARRAYS.get();
        if (arrays[which].length < size) {
            arrays[which] = new float[size];
        }
        return arrays[which];
    }
}
