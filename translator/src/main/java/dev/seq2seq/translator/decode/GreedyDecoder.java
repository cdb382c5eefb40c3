package dev.seq2seq.translator.decode;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.nn.rnn.RecurrentState;
import dev.seq2seq.translator.data.Sources;
import dev.seq2seq.translator.data.Vocabulary;
import dev.seq2seq.translator.model.Decoding;
import dev.seq2seq.translator.model.Seq2SeqModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy decoding, many sentences in lockstep (the seed's inference loop, batched):
 *
 * <pre>
 *   state = encode(sources)
 *   token = START for every row
 *   repeat: scores, state = decoder step(state, token); token = argmax(scores)
 *           a row stops at END or at the length limit; all rows stop -> done
 * </pre>
 *
 * A large batch runs as one group of sentences per core ({@link SentenceGroups}), each group in
 * lockstep on its own. The loop's choices are {@code Choices}, handed to {@link Decoding#decode},
 * which steps one to three sentences on both cores at once, each core choosing the tokens itself.
 */
public final class GreedyDecoder {
    private GreedyDecoder() {
    }

    /** Decodes the sources (token ids), {@code batchSize} at a time; returns each output's token ids. */
    public static List<int[]> decode(Seq2SeqModel model, List<int[]> sources, int maxLength, int batchSize) {
        return decode(model, sources, maxLength, batchSize, true);
    }

    /**
     * As {@link #decode(Seq2SeqModel, List, int, int)}; with {@code stopAtEnd} false every batch runs
     * all {@code maxLength} steps even when all its rows have ended (a benchmark's fixed work).
     */
    public static List<int[]> decode(Seq2SeqModel model, List<int[]> sources, int maxLength, int batchSize,
                                     boolean stopAtEnd) {
        return decode(model.decoding(), sources, maxLength, batchSize, stopAtEnd);
    }

    /**
     * As {@link #decode(Seq2SeqModel, List, int, int, boolean)} through a decoding run already made
     * (its steppers' weight panels are built once, however many calls use it).
     */
    public static List<int[]> decode(Decoding decoding, List<int[]> sources, int maxLength,
                                     int batchSize, boolean stopAtEnd) {
        Seq2SeqModel model = decoding.model();
        List<int[]> outputs = new ArrayList<>(sources.size());
        try (Tape.Scope ignored = Tape.pause()) {
            for (int from = 0; from < sources.size(); from += batchSize) {
                outputs.addAll(decodeBatch(model, decoding, sources.subList(from, Math.min(sources.size(), from + batchSize)),
                        maxLength, stopAtEnd));
            }
        }
        return outputs;
    }

    /** A batch's sentences in groups, one per core ({@link SentenceGroups}). */
    private static List<int[]> decodeBatch(Seq2SeqModel model, Decoding decoding, List<int[]> sources,
                                           int maxLength, boolean stopAtEnd) {
        int[][] outputs = new int[sources.size()][];
        SentenceGroups.forEach(sources.size(), 1, (from, to) -> {
            List<int[]> group = decodeGroup(model, decoding, sources.subList(from, to), maxLength, stopAtEnd);
            for (int i = from; i < to; i++) {
                outputs[i] = group.get(i - from);
            }
        });
        return Arrays.asList(outputs);
    }

    private static List<int[]> decodeGroup(Seq2SeqModel model, Decoding decoding, List<int[]> sources,
                                           int maxLength, boolean stopAtEnd) {
        Sources padded = model.sources(sources);
        RecurrentState state = decoding.encode(padded.tokens(), padded.steps(), padded.lengths());
        // one choice per core that steps the decoder (each chooses the same tokens); part 0's is read
        Choices[] followed = new Choices[1];
        decoding.decode(state, part -> {
            Choices choices = new Choices(sources.size(), maxLength, stopAtEnd);
            if (part == 0) {
                followed[0] = choices;
            }
            return choices;
        });
        return followed[0].outputs();
    }

    /**
     * The loop's choices: START for every row, then each row's most likely token, a row ending at
     * END; the run stops after {@code maxLength} steps, or when every row has ended.
     */
    private static final class Choices implements Decoding.TokenChoice {
        private final int maxLength;
        private final boolean stopAtEnd;
        private final List<List<Integer>> produced;
        private final boolean[] finished;
        private int remaining;

        Choices(int rows, int maxLength, boolean stopAtEnd) {
            this.maxLength = maxLength;
            this.stopAtEnd = stopAtEnd;
            this.produced = new ArrayList<>(rows);
            for (int b = 0; b < rows; b++) {
                produced.add(new ArrayList<>());
            }
            this.finished = new boolean[rows];
            this.remaining = rows;
        }

        @Override
        public int[] next(int t, Tensor logits) {
            if (t == 0) {
                if (maxLength < 1) {
                    return null;
                }
                int[] start = new int[finished.length];
                Arrays.fill(start, Vocabulary.START);
                return start;
            }
            int[] best = Seq2SeqModel.StepResult.argmax(logits);
            for (int b = 0; b < best.length; b++) {
                if (finished[b]) {
                    continue;
                }
                if (best[b] == Vocabulary.END) {
                    finished[b] = true;
                    remaining--;
                } else {
                    produced.get(b).add(best[b]);
                }
            }
            return t == maxLength || (stopAtEnd && remaining == 0) ? null : best;
        }

        List<int[]> outputs() {
            List<int[]> outputs = new ArrayList<>(produced.size());
            for (List<Integer> ids : produced) {
                outputs.add(ids.stream().mapToInt(Integer::intValue).toArray());
            }
            return outputs;
        }
    }
}
