package dev.seq2seq.nn.rnn;

import java.util.ArrayList;
import java.util.List;

/**
 * The arrays a recurrence keeps from its forward for its backward (h and c at every step, tanh(c)
 * or the recurrent products, and the projection of token inputs, {@link Projection#ofTokens}),
 * handed out again once they are dead: after the backward that read them, or at the end of a
 * forward that recorded none. The packed copies of U a pass makes ({@link ForwardProduct},
 * {@link BackwardProduct}) come from here too, and go back at the end of the pass's steps. Made
 * afresh, they are several megabytes per layer and training step, zeroed by the JVM on the
 * calling thread while the other cores wait for the steps to begin. A
 * recurrence writes every element of them before it reads it, so an array comes back as it was
 * left, not zeroed, and may be longer than asked for.
 *
 * <p>At most {@link #MAX_ARRAYS} arrays are held, none longer than {@link #MAX_FLOATS} (the whole
 * French file's longest batches are left to the collector), and a recurrence gives its arrays
 * back only when nothing else can read them. Safe to use from several threads.
 */
final class RecurrenceBuffers {
    /**
     * Enough for an encoder's and a decoder's arrays (the projection and three more each for the
     * LSTM, the projection and two more for the GRU) and one packed U, which the passes hand on to
     * each other: one pass's steps end before the next pass's begin.
     */
    static final int MAX_ARRAYS = 9;
    /**
     * 16 MB: the seed's decoder's projection with Keras padding, [59 x 64, 1024], is 15.5 MB, its
     * [T + 1, B, H] arrays 1-4 MB.
     */
    static final int MAX_FLOATS = 1 << 22;

    private static final List<float[]> SPARE = new ArrayList<>();

    private RecurrenceBuffers() {
    }

    /**
     * An array of at least {@code length} floats, with whatever values it was given back with: the
     * shortest held one that is long enough, else a new one.
     */
    static float[] take(int length) {
        synchronized (SPARE) {
            int best = -1;
            for (int i = 0; i < SPARE.size(); i++) {
                int candidate = SPARE.get(i).length;
                if (candidate >= length && (best < 0 || candidate < SPARE.get(best).length)) {
                    best = i;
                }
            }
            if (best >= 0) {
                return SPARE.remove(best);
            }
        }
        return new float[length];
    }

    /**
     * Gives arrays back, for the caller never to touch again. Kept unless too long, or unless the
     * pool is full and each held one is at least as long (then the shortest held one makes room).
     */
    static void give(float[]... arrays) {
        synchronized (SPARE) {
            for (float[] array : arrays) {
                if (array.length > MAX_FLOATS) {
                    continue;
                }
                if (SPARE.size() == MAX_ARRAYS) {
                    int shortest = 0;
                    for (int i = 1; i < SPARE.size(); i++) {
                        if (SPARE.get(i).length < SPARE.get(shortest).length) {
                            shortest = i;
                        }
                    }
                    if (SPARE.get(shortest).length >= array.length) {
                        continue;
                    }
                    SPARE.remove(shortest);
                }
                SPARE.add(array);
            }
        }
    }

    /** How many arrays are held (for the tests). */
    static int held() {
        synchronized (SPARE) {
            return SPARE.size();
        }
    }

    /** Lets go of every held array (for the tests). */
    static void clear() {
        synchronized (SPARE) {
            SPARE.clear();
        }
    }
}
