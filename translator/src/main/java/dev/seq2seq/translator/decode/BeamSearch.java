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
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Beam search, many sentences in lockstep: the live hypotheses of all the sentences of a batch are
 * the rows of one decoder step, on the same kernels as greedy decoding. Batches are cut from the
 * sources in order of length, and a large batch runs as one group of sentences per core
 * ({@link SentenceGroups}), each group in lockstep on its own.
 *
 * <pre>
 *   state = encode(sources)                one row per sentence; each beam starts as [START], log p 0
 *   repeat:
 *     scores, state' = decoder step(state, last token of each live row)          [rows, V]
 *     log p(token | row) = score - logsumexp(row's scores)
 *     for each sentence: candidates = (row, token) for its rows and the tokens an output may hold
 *                        (END and data tokens, and the unknown token when it is to be replaced),
 *                        ranked by log p(row) + log p(token | row)
 *         walking down the ranking: an END among the first K finishes its row's hypothesis;
 *         other candidates become the next live hypotheses until there are K of them
 *         the sentence is done when it holds K finished hypotheses, or no live one can beat its
 *         n-th best finished one (see LengthPenalty.bound), or its outputs reach the length limit
 *         (the live ones then finish as they are)
 *     state = rows of state' gathered by each new hypothesis's parent row; done sentences leave
 * </pre>
 *
 * Ties rank the lower row, then the lower token first. With K = 1 this is greedy decoding, to the
 * bit: the best candidate is the argmax of its row's scores, END winning a tie as the greedy
 * decoder has it. The decoder step is only ever {@code state, tokens -> scores, new state}.
 */
public final class BeamSearch {
    private BeamSearch() {
    }

    /**
     * Decodes the sources (token ids, none empty), {@code batchSize} sentences at a time, the
     * batches cut from the sources in order of length; returns for each, in the sources' order, up
     * to n-best hypotheses, best first.
     */
    public static List<List<Hypothesis>> decode(Decoding decoding, List<int[]> sources,
                                                DecodeOptions options, int batchSize) {
        return decode(decoding, sources, options, batchSize, true);
    }

    /**
     * As {@link #decode(Decoding, List, DecodeOptions, int)}; with {@code stopAtEnd}
     * false no hypothesis ends before the length limit (END is never chosen), so every sentence
     * steps K rows for every step: a benchmark's fixed work.
     */
    public static List<List<Hypothesis>> decode(Decoding decoding, List<int[]> sources,
                                                DecodeOptions options, int batchSize, boolean stopAtEnd) {
        // Batches are cut from the sources in order of length, so that a batch's sources pad to
        // about the same length and its outputs tend to end together; each sentence's result does
        // not depend on its batch-mates, so only the time changes.
        int[][] given = sources.toArray(new int[0][]);
        Integer[] byLength = new Integer[given.length];
        for (int i = 0; i < byLength.length; i++) {
            byLength[i] = i;
        }
        Arrays.sort(byLength, Comparator.comparingInt(i -> given[i].length)); // stable: ties in input order
        List<List<Hypothesis>> results = new ArrayList<>(Collections.nCopies(given.length, null));
        try (Tape.Scope ignored = Tape.pause()) {
            for (int from = 0; from < byLength.length; from += batchSize) {
                int to = Math.min(byLength.length, from + batchSize);
                List<int[]> chunk = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    chunk.add(given[byLength[i]]);
                }
                int first = from;
                // the batch's sentences in groups, one per core (SentenceGroups)
                SentenceGroups.forEach(chunk.size(), options.beam(), (groupFrom, groupTo) -> {
                    List<List<Hypothesis>> decoded = new Run(decoding, chunk.subList(groupFrom, groupTo), options,
                            stopAtEnd).results();
                    for (int i = groupFrom; i < groupTo; i++) {
                        results.set(byLength[first + i], decoded.get(i - groupFrom));
                    }
                });
            }
        }
        return results;
    }

    /**
     * A prefix of a hypothesis: a token after its parent prefix (START at the root), and the
     * attention weights of the step that chose it (null without attention).
     */
    private record Node(int token, Node parent, int length, float[] attention) {
        int[] tokens() {
            int[] tokens = new int[length];
            Node node = this;
            for (int i = length - 1; i >= 0; i--) {
                tokens[i] = node.token;
                node = node.parent;
            }
            return tokens;
        }

        float[][] attentionRows() {
            if (attention == null) {
                return null;
            }
            float[][] rows = new float[length][];
            Node node = this;
            for (int i = length - 1; i >= 0; i--) {
                rows[i] = node.attention;
                node = node.parent;
            }
            return rows;
        }
    }

    /** One batch of sentences, decoded together. */
    private static final class Run {
        private final Decoding decoding;
        private final DecodeOptions options;
        private final boolean stopAtEnd;
        private final int beam;
        private final BeamRanking ranking;
        private final int[] limits;
        /** Each sentence's source length, in tokens. */
        private final int[] sources;
        private final List<List<Hypothesis>> finished = new ArrayList<>();
        // the live hypotheses, grouped by sentence in sentence order: row r belongs to sentence rowSentence[r]
        private int[] rowSentence;
        private Node[] rowNode;
        private double[] rowLogProbability;
        private RecurrentState state;

        Run(Decoding decoding, List<int[]> sources, DecodeOptions options, boolean stopAtEnd) {
            this.decoding = decoding;
            this.options = options;
            this.stopAtEnd = stopAtEnd;
            this.beam = options.beam();
            this.ranking = new BeamRanking(beam, stopAtEnd, options.replaceUnknown());
            int sentences = sources.size();
            limits = new int[sentences];
            this.sources = new int[sentences];
            rowSentence = new int[sentences];
            rowNode = new Node[sentences];
            rowLogProbability = new double[sentences];
            Node start = new Node(Vocabulary.START, null, 0, null);
            for (int s = 0; s < sentences; s++) {
                limits[s] = options.limitFor(sources.get(s).length);
                this.sources[s] = sources.get(s).length;
                rowSentence[s] = s;
                rowNode[s] = start;
                finished.add(new ArrayList<>());
            }
            Sources padded = decoding.model().sources(sources);
            state = decoding.encode(padded.tokens(), padded.steps(), padded.lengths());
        }

        List<List<Hypothesis>> results() {
            for (int step = 0; rowSentence.length > 0; step++) {
                step(step);
            }
            List<List<Hypothesis>> results = new ArrayList<>(finished.size());
            for (List<Hypothesis> hypotheses : finished) {
                // stable: of equal scores, the one finished first stays first
                hypotheses.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
                results.add(List.copyOf(hypotheses.subList(0, Math.min(options.nBest(), hypotheses.size()))));
            }
            return results;
        }

        /** One decoder step for every live row; outputs then hold {@code step + 1} tokens. */
        private void step(int step) {
            int rows = rowSentence.length;
            int[] previous = new int[rows];
            for (int r = 0; r < rows; r++) {
                previous[r] = rowNode[r].token;
            }
            Seq2SeqModel.StepResult result = decoding.step(state, previous);
            Tensor logits = result.logits(); // [rows, V]
            Tensor attention = decoding.model().attentionWeights(result.state()); // [rows, S] or null
            // each sentence's rows: [groupFirst[g], groupFirst[g + 1])
            int[] groupFirst = new int[rows + 1];
            int groups = 0;
            for (int r = 0; r < rows; r++) {
                if (r == 0 || rowSentence[r] != rowSentence[r - 1]) {
                    groupFirst[groups++] = r;
                }
            }
            groupFirst[groups] = rows;
            List<List<BeamRanking.Candidate>> rankings = ranking.rank(logits, rowLogProbability, groupFirst, groups);

            int[] nextSentence = new int[rows * beam];
            Node[] nextNode = new Node[rows * beam];
            double[] nextLogProbability = new double[rows * beam];
            int[] parentRow = new int[rows * beam];
            int next = 0;
            for (int g = 0; g < groups; g++) {
                int sentence = rowSentence[groupFirst[g]];
                List<Hypothesis> done = finished.get(sentence);
                int live = 0;
                List<BeamRanking.Candidate> ranked = rankings.get(g);
                for (int rank = 0; rank < ranked.size() && live < beam; rank++) {
                    BeamRanking.Candidate candidate = ranked.get(rank);
                    Node parent = rowNode[candidate.row()];
                    if (candidate.token() == Vocabulary.END) {
                        if (rank < beam) {
                            done.add(finish(parent, candidate.logProbability(), parent.length + 1));
                        }
                    } else {
                        nextSentence[next + live] = sentence;
                        nextNode[next + live] = new Node(candidate.token(), parent, parent.length + 1,
                                attentionRow(attention, candidate.row(), sources[sentence]));
                        nextLogProbability[next + live] = candidate.logProbability();
                        parentRow[next + live] = candidate.row();
                        live++;
                    }
                }
                if (step + 1 >= limits[sentence]) {
                    for (int k = next; k < next + live; k++) {
                        done.add(finish(nextNode[k], nextLogProbability[k], nextNode[k].length));
                    }
                    live = 0;
                } else if (done.size() >= beam || cannotImprove(done, nextLogProbability, next, next + live,
                        limits[sentence])) {
                    live = 0;
                }
                next += live;
            }
            rowSentence = Arrays.copyOf(nextSentence, next);
            rowNode = Arrays.copyOf(nextNode, next);
            rowLogProbability = Arrays.copyOf(nextLogProbability, next);
            state = next == 0 ? null : gather(result.state(), Arrays.copyOf(parentRow, next));
        }

        private Hypothesis finish(Node node, double logProbability, int length) {
            return new Hypothesis(node.tokens(), options.lengthPenalty().score(logProbability, length, options.alpha()),
                    logProbability, node.attentionRows());
        }

        /** Row {@code row} of the step's attention weights, over the sentence's real source positions. */
        private static float[] attentionRow(Tensor attention, int row, int sourceLength) {
            if (attention == null) {
                return null;
            }
            int steps = attention.dim(1);
            float[] weights = new float[Math.min(sourceLength, steps)];
            for (int s = 0; s < weights.length; s++) {
                weights[s] = attention.at(row * steps + s);
            }
            return weights;
        }

        /** True when the sentence has its n-best and no live hypothesis can overtake the n-th of them. */
        private boolean cannotImprove(List<Hypothesis> done, double[] liveLogProbability, int from, int to,
                                      int limit) {
            if (done.size() < options.nBest()) {
                return false;
            }
            double[] scores = done.stream().mapToDouble(Hypothesis::score).sorted().toArray();
            double nth = scores[scores.length - options.nBest()];
            for (int k = from; k < to; k++) {
                if (options.lengthPenalty().bound(liveLogProbability[k], limit, options.alpha()) > nth) {
                    return false;
                }
            }
            return true;
        }

        /** The state of each new row, from its parent's row; the state itself when nothing moved. */
        private static RecurrentState gather(RecurrentState state, int[] parents) {
            boolean identity = parents.length == state.batchSize();
            for (int i = 0; identity && i < parents.length; i++) {
                identity = parents[i] == i;
            }
            return identity ? state : state.selectRows(parents);
        }
    }
}
