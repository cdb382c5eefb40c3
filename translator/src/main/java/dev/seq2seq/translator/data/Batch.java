package dev.seq2seq.translator.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A batch for teacher forcing, as token ids in time-major order ({@code [t * size + b]}), the
 * layout the recurrent layers read.
 *
 * <pre>
 *   target "Va !"  ->  decoder input  [START, V, a, ' ', !]
 *                      decoder target [V, a, ' ', !, END]      (the input shifted by one)
 * </pre>
 *
 * Positions past a sentence's end hold {@link Vocabulary#PAD}; {@code targetMask} is 1 where a
 * target position is real. In {@link Padding#KERAS} mode the lengths are null (nothing is masked)
 * and the mask is all ones.
 */
public record Batch(int size, int sourceSteps, int[] sourceTokens, int[] sourceLengths,
                    int targetSteps, int[] decoderInputs, int[] decoderTargets, float[] targetMask,
                    int[] targetLengths, List<Corpus.Example> examples) {

    /**
     * Pads the examples to the longest in the batch ({@link Padding#MASKED}) or to the given
     * lengths ({@link Padding#KERAS}: the data's longest source, and longest target + 1).
     */
    public static Batch of(List<Corpus.Example> examples, Padding padding, int fixedSourceSteps, int fixedTargetSteps) {
        // Plain loops over an array: the lists come in several classes (the epoch's plan's, sublists
        // of the validation set and of the training set for the warm-up), and with a stream over
        // them the JIT threw this method's compiled code away and compiled it again seven to nine
        // times in a run of two epochs, 250-340 ms of a core the training wanted. The copy through
        // ArrayList's constructor, whose call to toArray the whole JDK shares (so the JIT does not
        // bet on one class there), leaves none thrown away: four compilations, about 95 ms.
        Corpus.Example[] rows = new ArrayList<>(examples).toArray(new Corpus.Example[0]);
        int size = rows.length;
        int[][] sourceTokens = new int[size][];
        int targetSteps = padding == Padding.KERAS ? fixedTargetSteps : 0;
        for (int b = 0; b < size; b++) {
            sourceTokens[b] = rows[b].source();
            targetSteps = Math.max(targetSteps, rows[b].target().length + 1);
        }
        Sources sources = Sources.of(Arrays.asList(sourceTokens), padding, fixedSourceSteps);
        int[] decoderInputs = new int[targetSteps * size];
        int[] decoderTargets = new int[targetSteps * size];
        float[] mask = new float[targetSteps * size];
        int[] targetLengths = new int[size];
        for (int b = 0; b < size; b++) {
            int[] target = rows[b].target();
            targetLengths[b] = target.length + 1;
            for (int t = 0; t <= target.length; t++) {
                decoderInputs[t * size + b] = t == 0 ? Vocabulary.START : target[t - 1];
                decoderTargets[t * size + b] = t == target.length ? Vocabulary.END : target[t];
                mask[t * size + b] = 1f;
            }
        }
        if (padding == Padding.KERAS) {
            Arrays.fill(mask, 1f);
            targetLengths = null;
        }
        return new Batch(size, sources.steps(), sources.tokens(), sources.lengths(), targetSteps, decoderInputs,
                decoderTargets, mask, targetLengths, examples);
    }

    /** How many target positions count in the loss. */
    public int realTargets() {
        int count = 0;
        for (float m : targetMask) {
            count += m != 0f ? 1 : 0;
        }
        return count;
    }
}
