package dev.seq2seq.translator.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.translator.data.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ranking cut by rows and merged is the ranking of one scan of each sentence's candidates:
 * the same candidates in the same order, on scores full of ties (a few distinct values), with NaN
 * and -infinity among them, hypotheses of equal and of -infinite log p, sentences of one to seven
 * rows and every option.
 */
class BeamRankingTest {

    @Test
    void rowsRankedApartAndMergedGiveTheSingleScansRanking() {
        float[] values = {-1f, 0f, 0.5f, 2f, Float.NaN, Float.NEGATIVE_INFINITY};
        double[] befores = {0, -0.75, -0.75, -3, Double.NEGATIVE_INFINITY};
        compareWithTheSingleScan(new Random(11), values, befores, 18);
    }

    /**
     * Scores and hypotheses a few float units apart, so that many candidates fall within a
     * millionth of the last one kept, where the scan's early refusal must refuse only what offer
     * refuses.
     */
    @Test
    void candidatesAtTheEdgeOfTheLastOneKeptAreJudgedExactly() {
        float[] values = new float[64];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0x1p-22f;
        }
        double[] befores = new double[8];
        for (int i = 0; i < befores.length; i++) {
            befores[i] = -i * 0x1p-23;
        }
        compareWithTheSingleScan(new Random(12), values, befores, 20);
    }

    /**
     * Random sentences of one to seven rows, every option: scores from {@code values} (the last
     * two of them once in ten draws when {@code common} is 18, never when it is 20), hypotheses'
     * log p from {@code befores}.
     */
    private static void compareWithTheSingleScan(Random random, float[] values, double[] befores, int common) {
        for (int trial = 0; trial < 400; trial++) {
            int beam = 1 + random.nextInt(5);
            boolean stopAtEnd = random.nextBoolean();
            boolean replaceUnknown = random.nextBoolean();
            int classes = Vocabulary.FIRST_DATA_TOKEN + 1 + random.nextInt(40);
            int groups = 1 + random.nextInt(4);
            int[] groupFirst = new int[groups + 1];
            for (int g = 0; g < groups; g++) {
                groupFirst[g + 1] = groupFirst[g] + 1 + random.nextInt(7);
            }
            int rows = groupFirst[groups];
            float[] scores = new float[rows * classes];
            for (int i = 0; i < scores.length; i++) {
                // with the first test's values, mostly the first four: ties everywhere, a NaN or
                // -infinity now and then
                scores[i] = random.nextInt(20) < common ? values[random.nextInt(values.length - 2)]
                        : values[values.length - 2 + random.nextInt(2)];
            }
            double[] before = new double[rows];
            for (int r = 0; r < rows; r++) {
                before[r] = befores[random.nextInt(befores.length)];
            }
            Tensor logits = Tensor.of(scores, rows, classes);
            List<List<BeamRanking.Candidate>> actual = new BeamRanking(beam, stopAtEnd, replaceUnknown)
                    .rank(logits, before, groupFirst, groups);
            for (int g = 0; g < groups; g++) {
                List<BeamRanking.Candidate> expected = singleScan(logits, before, groupFirst[g], groupFirst[g + 1],
                        beam, stopAtEnd, replaceUnknown);
                assertEquals(expected, actual.get(g), "trial " + trial + ", sentence " + g);
            }
        }
    }

    /** The ranking as one scan over the sentence's rows makes it, kept sorted as it goes. */
    private static List<BeamRanking.Candidate> singleScan(Tensor logits, double[] before, int first, int end,
                                                          int beam, boolean stopAtEnd, boolean replaceUnknown) {
        int classes = logits.dim(1);
        List<BeamRanking.Candidate> kept = new ArrayList<>();
        for (int row = first; row < end; row++) {
            double normalizer = BeamRanking.logNormalizer(logits, row);
            List<Integer> tokens = new ArrayList<>();
            if (stopAtEnd) {
                tokens.add(Vocabulary.END);
            }
            if (replaceUnknown) {
                tokens.add(Vocabulary.UNKNOWN);
            }
            for (int token = Vocabulary.FIRST_DATA_TOKEN; token < classes; token++) {
                tokens.add(token);
            }
            for (int token : tokens) {
                double value = logits.at(row * classes + token) - normalizer;
                double logProbability = Double.isNaN(value) ? Double.NEGATIVE_INFINITY : before[row] + value;
                int at = 0;
                while (at < kept.size() && kept.get(at).logProbability() >= logProbability) {
                    at++; // behind every candidate seen before with a score as good
                }
                kept.add(at, new BeamRanking.Candidate(row, token, logProbability));
                if (kept.size() > 2 * beam) {
                    kept.remove(2 * beam);
                }
            }
        }
        return kept;
    }
}
