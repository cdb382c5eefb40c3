package dev.seq2seq.translator.decode;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.translator.data.Vocabulary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A beam search step's ranking: for each sentence, the best 2K continuations (row, token) of its
 * live rows, by total log-probability
 *
 * <pre>
 *   log p(row, token) = log p(row) + score[row, token] - log sum_j exp(score[row, j])
 * </pre>
 *
 * over END (when outputs stop at it), the unknown token (when it is to be replaced) and the data
 * tokens. 2K is enough to hold K that do not end: at most one END per row, and at most K rows.
 *
 * <p>The order is that of one scan of a sentence's candidates, row by row, each row END, unknown,
 * then the data tokens: a candidate enters only when it beats the last one kept, so of equal
 * scores the one seen first stays ahead (the lower row, then the lower token), and a NaN score
 * ranks as log p = -infinity. The scan is cut by rows: each row's own best 2K are found with the
 * rows shared among the kernels' threads (the log-softmax normalizers and the scan of K x V
 * candidates are a third of a step of 64 sentences on one thread, and for a word model's 8,000
 * columns most of one sentence's step), then a sentence's rows are merged in row order, its
 * earlier rows ahead on ties. A sentence's best 2K are among its rows' best 2K, so the result is
 * the single scan's, whichever thread took a row.
 */
final class BeamRanking {
    /** A (row, token) continuation and its total log-probability. */
    record Candidate(int row, int token, double logProbability) {
    }

    /** 2K: how many candidates a ranking keeps. */
    private final int keep;
    private final boolean stopAtEnd;
    private final boolean replaceUnknown;

    /**
     * @param stopAtEnd      whether END is a candidate (false: no output ends before its limit)
     * @param replaceUnknown whether the unknown token is a candidate (to be replaced by a source token)
     */
    BeamRanking(int beam, boolean stopAtEnd, boolean replaceUnknown) {
        this.keep = 2 * beam;
        this.stopAtEnd = stopAtEnd;
        this.replaceUnknown = replaceUnknown;
    }

    /**
     * Each sentence's best 2K candidates, best first.
     *
     * @param logits            the step's scores [rows, V]
     * @param rowLogProbability log p of each row's hypothesis so far [rows]
     * @param groupFirst        sentence g's rows are [groupFirst[g], groupFirst[g + 1])
     */
    List<List<Candidate>> rank(Tensor logits, double[] rowLogProbability, int[] groupFirst, int groups) {
        int rows = logits.dim(0);
        List<List<Candidate>> rowBest = new ArrayList<>(Collections.nCopies(rows, null));
        Backend.kernels().forEachPart(rows, 1, (from, to) -> {
            for (int row = from; row < to; row++) {
                rowBest.set(row, best(logits, row, rowLogProbability[row], logNormalizer(logits, row)));
            }
        });
        List<List<Candidate>> rankings = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            List<Candidate> ranked = rowBest.get(groupFirst[g]);
            for (int row = groupFirst[g] + 1; row < groupFirst[g + 1]; row++) {
                ranked = merged(ranked, rowBest.get(row));
            }
            rankings.add(ranked);
        }
        return rankings;
    }

    /** Row {@code row}'s best 2K candidates, best first, in the scan's order. */
    private List<Candidate> best(Tensor logits, int row, double before, double logNormalizer) {
        int classes = logits.dim(1);
        float[] scores = logits.data();
        int base = logits.offset() + row * classes;
        List<Candidate> kept = new ArrayList<>(keep + 1);
        if (stopAtEnd) {
            offer(kept, row, Vocabulary.END, scores[base + Vocabulary.END] - logNormalizer, before);
        }
        if (replaceUnknown) {
            offer(kept, row, Vocabulary.UNKNOWN, scores[base + Vocabulary.UNKNOWN] - logNormalizer, before);
        }
        // the last one kept, once 2K are: most of a large vocabulary falls below it at once
        double worst = kept.size() == keep ? kept.get(keep - 1).logProbability : Double.NaN;
        for (int token = Vocabulary.FIRST_DATA_TOKEN; token < classes; token++) {
            double value = scores[base + token] - logNormalizer;
            // what offer would refuse (a NaN value, log p = -infinity, included); a NaN worst
            // (not 2K yet, or a NaN total kept) leaves it to offer
            if (!Double.isNaN(worst) && !(before + value > worst)) {
                continue;
            }
            offer(kept, row, token, value, before);
            if (kept.size() == keep) {
                worst = kept.get(keep - 1).logProbability;
            }
        }
        return kept;
    }

    /**
     * Keeps (row, token), of log p(token | row) = {@code value} after a hypothesis of log p =
     * {@code before}, among the best 2K when it ranks there; a NaN value ranks as -infinity.
     */
    private void offer(List<Candidate> kept, int row, int token, double value, double before) {
        double logProbability = Double.isNaN(value) ? Double.NEGATIVE_INFINITY : before + value;
        if (kept.size() == keep && !(logProbability > kept.get(keep - 1).logProbability)) {
            return; // not better than the worst kept; on a tie the one seen first stays ahead
        }
        int at = kept.size();
        while (at > 0 && kept.get(at - 1).logProbability < logProbability) {
            at--;
        }
        kept.add(at, new Candidate(row, token, logProbability));
        if (kept.size() > keep) {
            kept.remove(keep);
        }
    }

    /** The best 2K of two rankings, best first, {@code first}'s candidates ahead of {@code second}'s of the same score. */
    private List<Candidate> merged(List<Candidate> first, List<Candidate> second) {
        List<Candidate> merged = new ArrayList<>(keep);
        int i = 0;
        int j = 0;
        while (merged.size() < keep && (i < first.size() || j < second.size())) {
            boolean fromSecond = i == first.size()
                    || j < second.size() && second.get(j).logProbability > first.get(i).logProbability;
            merged.add(fromSecond ? second.get(j++) : first.get(i++));
        }
        return merged;
    }

    /**
     * log sum_j exp(scores[r, j]) of row r ({@code Kernels.logSumExp}: the exps in float, as the
     * training's log-softmax takes them; for a word model's 8,000 columns 3.6 us a row on Zen 5,
     * where {@code Math.exp} in double took 41.6). The scores' differences within a row are taken in double
     * (score - normalizer), so a row's candidates rank as its scores do: a beam of one is greedy
     * decoding.
     */
    static double logNormalizer(Tensor logits, int r) {
        int classes = logits.dim(1);
        return Backend.kernels().logSumExp(logits.data(), logits.offset() + r * classes, classes);
    }
}
