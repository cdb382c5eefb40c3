package dev.seq2seq.translator.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.nn.rnn.RecurrentState;
import dev.seq2seq.translator.TinyData;
import dev.seq2seq.translator.data.Corpus;
import dev.seq2seq.translator.data.Level;
import dev.seq2seq.translator.data.Padding;
import dev.seq2seq.translator.data.PairFile;
import dev.seq2seq.translator.data.SentencePair;
import dev.seq2seq.translator.data.Sources;
import dev.seq2seq.translator.data.Vocabulary;
import dev.seq2seq.translator.model.Cell;
import dev.seq2seq.translator.model.Seq2SeqModel;
import dev.seq2seq.translator.train.Trainer;
import dev.seq2seq.translator.train.TrainingRun;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BeamSearchTest {
    /** A model trained a little on 48 pairs: some outputs end early, some run to the limit. */
    private static Seq2SeqModel trained;
    private static List<int[]> sources;

    @BeforeAll
    static void train() throws Exception {
        TrainingRun run = TrainingRun.start(TinyData.distinctPairs(48), TinyData.settings(1, 8, 0.01f, 0), Level.CHAR,
                Cell.LSTM, 32, Padding.MASKED);
        trained = run.model();
        List<Corpus.Example> examples = run.corpus().training();
        Tape tape = new Tape();
        long step = 0;
        for (int epoch = 0; epoch < 12; epoch++) {
            for (int from = 0; from < examples.size(); from += 8) {
                Trainer.step(trained, run.optimizer(), tape, trained.batch(examples.subList(from, from + 8)), true,
                        epoch, from / 8, step++);
            }
        }
        sources = new ArrayList<>();
        examples.forEach(example -> sources.add(example.source()));
    }

    @Test
    void beamOneIsTheGreedyDecoderBitForBit() {
        int limit = 12;
        List<int[]> greedy = GreedyDecoder.decode(trained, sources, limit, 64);
        Set<Integer> lengths = new HashSet<>();
        for (int batch : new int[] {1, 3, 64}) {
            List<List<Hypothesis>> beam = BeamSearch.decode(trained.decoding(), sources, DecodeOptions.greedy(limit), batch);
            for (int i = 0; i < sources.size(); i++) {
                assertEquals(1, beam.get(i).size());
                assertArrayEquals(greedy.get(i), beam.get(i).get(0).tokens(), "sentence " + i + ", batch " + batch);
                lengths.add(greedy.get(i).length);
            }
        }
        assertTrue(lengths.size() > 2 && lengths.contains(limit), "outputs of several lengths, some cut at the limit: "
                + lengths);
    }

    /**
     * Batches are cut in order of source length, and a large one is decoded in groups of sentences,
     * one per core: with the sources in no order of length, every sentence still gets, in its own
     * place, the hypotheses it gets decoded alone.
     */
    @Test
    void batchesCutInOrderOfLengthGiveEachSentenceItsOwnResultInPlace() {
        List<int[]> shuffled = new ArrayList<>(sources);
        java.util.Collections.shuffle(shuffled, new java.util.Random(5));
        boolean ordered = true;
        for (int i = 1; i < shuffled.size(); i++) {
            ordered &= shuffled.get(i - 1).length <= shuffled.get(i).length;
        }
        assertFalse(ordered, "the sources must not be in order of length already");
        DecodeOptions options = new DecodeOptions(3, 3, LengthPenalty.WU, 0.6, 20, 0);
        List<List<Hypothesis>> alone = new ArrayList<>();
        for (int[] source : shuffled) {
            alone.add(BeamSearch.decode(trained.decoding(), List.of(source), options, 1).get(0));
        }
        // batches of 7, and of 48: all the sources, in two groups decoded at once where there are two cores
        for (int batch : new int[] {7, 48}) {
            List<List<Hypothesis>> batched = BeamSearch.decode(trained.decoding(), shuffled, options, batch);
            assertEquals(shuffled.size(), batched.size());
            for (int i = 0; i < shuffled.size(); i++) {
                assertEquals(alone.get(i).size(), batched.get(i).size(), "sentence " + i + ", batch " + batch);
                for (int k = 0; k < alone.get(i).size(); k++) {
                    assertArrayEquals(alone.get(i).get(k).tokens(), batched.get(i).get(k).tokens(),
                            "sentence " + i + ", hypothesis " + k + ", batch " + batch);
                    assertEquals(alone.get(i).get(k).score(), batched.get(i).get(k).score(),
                            "sentence " + i + ", hypothesis " + k + ", batch " + batch);
                }
            }
        }
    }

    @Test
    void nBestListsAreDistinctSortedAndHoldOnlyDataTokens() {
        DecodeOptions options = new DecodeOptions(5, 5, LengthPenalty.WU, 0.6, 20, 0);
        List<List<Hypothesis>> results = BeamSearch.decode(trained.decoding(), sources, options, 16);
        for (List<Hypothesis> nBest : results) {
            assertEquals(5, nBest.size(), "enough hypotheses exist for five");
            Set<String> distinct = new HashSet<>();
            for (int k = 0; k < nBest.size(); k++) {
                Hypothesis hypothesis = nBest.get(k);
                assertTrue(distinct.add(Arrays.toString(hypothesis.tokens())), "a repeated hypothesis");
                if (k > 0) {
                    assertTrue(nBest.get(k - 1).score() >= hypothesis.score(), "sorted best first");
                }
                for (int token : hypothesis.tokens()) {
                    assertTrue(token >= Vocabulary.FIRST_DATA_TOKEN, "a reserved token in " + Arrays.toString(hypothesis.tokens()));
                }
                assertTrue(hypothesis.tokens().length <= 20);
            }
        }
        // the best of a beam of 5 scores at least as well as the greedy output under the same penalty
        List<List<Hypothesis>> greedy = BeamSearch.decode(trained.decoding(), sources,
                new DecodeOptions(1, 1, LengthPenalty.WU, 0.6, 20, 0), 16);
        int better = 0;
        for (int i = 0; i < sources.size(); i++) {
            double beamBest = results.get(i).get(0).score();
            double greedyScore = greedy.get(i).get(0).score();
            better += beamBest > greedyScore + 1e-9 ? 1 : 0;
        }
        assertTrue(better > 0, "a wider beam finds better-scoring outputs for some sentences");
    }

    @Test
    void aSentenceThatNeverEndsStopsAtTheLengthLimit() {
        Tensor bias = trained.parameters().stream().filter(p -> p.name().equals("decoder/dense/bias")).findFirst()
                .orElseThrow();
        float saved = bias.at(Vocabulary.END);
        bias.setAt(Vocabulary.END, -1e4f);
        try {
            DecodeOptions options = new DecodeOptions(3, 3, LengthPenalty.AVG, 0, 30, 1.5);
            List<List<Hypothesis>> results = BeamSearch.decode(trained.decoding(), sources.subList(0, 5), options, 4);
            for (int i = 0; i < 5; i++) {
                int limit = (int) Math.ceil(1.5 * sources.get(i).length);
                for (Hypothesis hypothesis : results.get(i)) {
                    assertEquals(limit, hypothesis.tokens().length, "cut at 1.5 times the source's length");
                }
            }
        } finally {
            bias.setAt(Vocabulary.END, saved);
        }
    }

    /** Targets of two letters only, so every output of up to five tokens can be listed. */
    private static Seq2SeqModel smallVocabularyModel() throws Exception {
        List<SentencePair> pairs = List.of(new SentencePair("ab", "xy", 1), new SentencePair("ba", "yx", 2),
                new SentencePair("aab", "xxy", 3), new SentencePair("b", "y", 4));
        StringBuilder text = new StringBuilder();
        pairs.forEach(p -> text.append(p.source()).append('\t').append(p.target()).append('\n'));
        PairFile file = new PairFile("small", "small", TinyData.sha256(text.toString()), pairs, List.of());
        return TrainingRun.start(file, TinyData.settings(1, 2, 0.01f, 0), Level.CHAR, Cell.GRU, 8, Padding.MASKED).model();
    }

    @ParameterizedTest
    @EnumSource(LengthPenalty.class)
    void aBeamAsWideAsTheSearchSpaceFindsWhatExhaustiveSearchFinds(LengthPenalty penalty) throws Exception {
        Seq2SeqModel model = smallVocabularyModel();
        assertEquals(Vocabulary.FIRST_DATA_TOKEN + 2, model.targetVocabulary().size(), "x and y");
        int limit = 5;
        double alpha = 0.8;
        for (String sentence : List.of("ab", "b", "aab")) {
            int[] source = model.sourceVocabulary().encode(model.sourceTokenizer().tokens(sentence));
            List<Hypothesis> all = new ArrayList<>();
            try (Tape.Scope ignored = Tape.pause()) {
                Sources padded = model.sources(List.of(source));
                RecurrentState state = model.encode(padded.tokens(), padded.steps(), padded.lengths());
                enumerate(model, state, new int[0], 0, limit, penalty, alpha, all);
            }
            assertEquals(63, all.size(), "2^0 + ... + 2^4 ended outputs and 2^5 cut at the limit");
            all.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
            List<Hypothesis> beam = BeamSearch.decode(model.decoding(), List.of(source),
                    new DecodeOptions(64, 10, penalty, alpha, limit, 0), 1).get(0);
            assertEquals(10, beam.size());
            for (int k = 0; k < 10; k++) {
                assertArrayEquals(all.get(k).tokens(), beam.get(k).tokens(), penalty + ", " + sentence + ", rank " + k);
                assertEquals(all.get(k).score(), beam.get(k).score(), 1e-6);
            }
            assertFalse(beam.get(0).logProbability() > 0);
        }
    }

    /** Every output below {@code prefix}: ended by END at each length, or cut at the limit. */
    private static void enumerate(Seq2SeqModel model, RecurrentState state, int[] prefix, double logProbability,
                                  int limit, LengthPenalty penalty, double alpha, List<Hypothesis> out) {
        int previous = prefix.length == 0 ? Vocabulary.START : prefix[prefix.length - 1];
        Seq2SeqModel.StepResult result = model.step(state, new int[] {previous});
        float[] logits = result.logits().toArray();
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit - max);
        }
        double normalizer = max + Math.log(sum);
        double ended = logProbability + logits[Vocabulary.END] - normalizer;
        out.add(new Hypothesis(prefix, penalty.score(ended, prefix.length + 1, alpha), ended));
        for (int token = Vocabulary.FIRST_DATA_TOKEN; token < logits.length; token++) {
            int[] longer = Arrays.copyOf(prefix, prefix.length + 1);
            longer[prefix.length] = token;
            double next = logProbability + logits[token] - normalizer;
            if (longer.length == limit) {
                out.add(new Hypothesis(longer, penalty.score(next, longer.length, alpha), next));
            } else {
                enumerate(model, result.state(), longer, next, limit, penalty, alpha, out);
            }
        }
    }
}
