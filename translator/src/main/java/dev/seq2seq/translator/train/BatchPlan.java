package dev.seq2seq.translator.train;

import dev.seq2seq.translator.data.Corpus;
import dev.seq2seq.translator.data.Padding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which examples go into which batch, epoch by epoch: fixed by the seed and the epoch number, so a
 * resumed run sees the same batches as an uninterrupted one.
 */
public final class BatchPlan {
    /** How many batches' worth of examples are sorted by length together (masked padding). */
    static final int BUCKET_BATCHES = 16;

    private BatchPlan() {
    }

    /**
     * The batches of an epoch, as lists of example indices. The examples are shuffled; with masked
     * padding, each window of {@link #BUCKET_BATCHES} batches is then sorted by length before it is
     * cut into batches, and the batches are shuffled again: a batch holds sentences of similar
     * lengths, so little time goes into padded steps, while every epoch still mixes the data
     * differently. With Keras padding every batch is padded to the longest sentence anyway, so the
     * seed's plain shuffled batches are kept.
     */
    public static List<int[]> epoch(List<Corpus.Example> examples, int batchSize, Padding padding, long seed,
                                    int epoch) {
        int count = examples.size();
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + epoch);
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        if (padding == Padding.MASKED) {
            int window = batchSize * BUCKET_BATCHES;
            Comparator<Integer> byLength = Comparator.comparing(examples::get, Corpus.Example.BY_LENGTH);
            for (int from = 0; from < count; from += window) {
                Arrays.sort(order, from, Math.min(count, from + window), byLength);
            }
        }
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < count; from += batchSize) {
            int[] batch = new int[Math.min(batchSize, count - from)];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = order[from + i];
            }
            batches.add(batch);
        }
        if (padding == Padding.MASKED) {
            int[][] shuffled = batches.toArray(new int[0][]);
            shuffle(shuffled, random);
            batches = Arrays.asList(shuffled);
        }
        return batches;
    }

    /** The examples of one batch of the plan. */
    public static List<Corpus.Example> examples(List<Corpus.Example> examples, int[] batch) {
        List<Corpus.Example> chosen = new ArrayList<>(batch.length);
        for (int index : batch) {
            chosen.add(examples.get(index));
        }
        return chosen;
    }

    private static <T> void shuffle(T[] items, SplittableRandom random) {
        for (int i = items.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T swap = items[i];
            items[i] = items[j];
            items[j] = swap;
        }
    }
}
