package dev.seq2seq.translator.data;

import java.util.List;

/**
 * The source half of a batch, what the encoder reads: token ids in time-major order
 * ({@code [t * size + b]}), padded with {@link Vocabulary#PAD}. One place decides the padding, for
 * training batches ({@link Batch}) and for decoding alike:
 *
 * <ul>
 *   <li>{@link Padding#MASKED}: to the longest source of the batch, with each row's true length,
 *       so the encoder's state is taken at each sentence's end;</li>
 *   <li>{@link Padding#KERAS}: to the longest source of the whole data (or longer), lengths null,
 *       so the encoder reads the padding, as the seed's model was trained to.</li>
 * </ul>
 *
 * @param lengths each row's true length, or null (Keras padding: every step counts)
 */
public record Sources(int size, int steps, int[] tokens, int[] lengths) {

    /** The sources padded in {@code padding}'s way; {@code dataSteps} is the data's longest source. */
    public static Sources of(List<int[]> sources, Padding padding, int dataSteps) {
        int size = sources.size();
        int steps = padding == Padding.KERAS ? dataSteps : 1;
        for (int[] source : sources) {
            steps = Math.max(steps, source.length);
        }
        int[] tokens = new int[steps * size];
        int[] lengths = new int[size];
        for (int b = 0; b < size; b++) {
            int[] source = sources.get(b);
            for (int t = 0; t < source.length; t++) {
                tokens[t * size + b] = source[t];
            }
            lengths[b] = source.length;
        }
        return new Sources(size, steps, tokens, padding == Padding.KERAS ? null : lengths);
    }
}
