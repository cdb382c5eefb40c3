package dev.seq2seq.translator.eval;

import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.translator.data.Batch;
import dev.seq2seq.translator.data.Corpus;
import dev.seq2seq.translator.data.Limits;
import dev.seq2seq.translator.data.Tokenizer;
import dev.seq2seq.translator.data.Vocabulary;
import dev.seq2seq.translator.decode.BatchTranslator;
import dev.seq2seq.translator.decode.BeamSearch;
import dev.seq2seq.translator.decode.DecodeOptions;
import dev.seq2seq.translator.decode.Hypothesis;
import dev.seq2seq.translator.model.Seq2SeqModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What a model achieves on held-out pairs: the loss and next-token accuracy under teacher forcing
 * (over every pair), and, on its translations, the exact-match rate and sacreBLEU-equal scores.
 *
 * <p>Pairs are grouped by source sentence first: the anki files give one English sentence several
 * French translations, and scoring each pair alone would ask the model to produce all of them at
 * once. Each distinct source is translated once and scored against all its references.
 */
public record Evaluation(int pairs, int sources, int references, double loss, double accuracy, double exactMatch,
                         List<MetricScore> scores, List<Sentence> sentences, List<Bucket> buckets) {

    /** One distinct source: its references, the model's best output, that output's score and sentence chrF2. */
    public record Sentence(String source, List<String> references, String hypothesis, double score, double chrF) {
    }

    /** chrF2 of the sources whose length, in characters, is in [from, to]. */
    public record Bucket(int from, int to, int sources, double chrF) {
    }

    /** Target length, then source length, then the tokens: the same examples sort alike in any order. */
    private static final Comparator<Corpus.Example> BY_LENGTH = Corpus.Example.BY_LENGTH
            .thenComparing(Corpus.Example::target, Arrays::compare)
            .thenComparing(Corpus.Example::source, Arrays::compare);

    /** Upper ends of the source-length buckets, in characters. */
    private static final int[] BUCKET_ENDS = {10, 20, 30, 50, 80, Limits.MAX_SENTENCE_CHARACTERS};

    /**
     * Teacher-forced loss and accuracy only (cheap: what each epoch reports). The examples are cut
     * into batches in order of target length, then source length: every row of a batch runs as
     * many decoder steps as the batch's longest target, and held-out pairs in file order mix short
     * and long ones (the bundled validation batches of 256 are 56% real target positions in file
     * order, 91% sorted). The figures are those of batches in file order up to rounding (the
     * loss's sums group the positions differently); ties are broken by the tokens themselves, so
     * any order of the same examples gives the same figures to the bit.
     */
    public static Seq2SeqModel.BatchStats teacherForced(Seq2SeqModel model, List<Corpus.Example> examples,
                                                        int batchSize) {
        List<Corpus.Example> byLength = new ArrayList<>(examples);
        byLength.sort(BY_LENGTH);
        Seq2SeqModel.BatchStats total = new Seq2SeqModel.BatchStats(0, 0, 0);
        try (Tape.Scope ignored = Tape.pause()) {
            for (int from = 0; from < byLength.size(); from += batchSize) {
                Batch batch = model.batch(byLength.subList(from, Math.min(byLength.size(), from + batchSize)));
                total = total.plus(model.measure(batch));
            }
        }
        return total;
    }

    /**
     * Everything: the teacher-forced figures, then each distinct source decoded as {@code options}
     * say and scored with {@code metrics} against all its references.
     */
    public static Evaluation run(Seq2SeqModel model, List<Corpus.Example> examples, int batchSize,
                                 DecodeOptions options, List<Metric> metrics) {
        Seq2SeqModel.BatchStats stats = teacherForced(model, examples, batchSize);
        Tokenizer targetTokenizer = model.targetTokenizer();
        SourceGroups groups = SourceGroups.of(examples, targetTokenizer, Integer.MAX_VALUE);
        List<String> sources = groups.sources();
        List<List<String>> references = groups.references();
        List<List<Hypothesis>> decoded = BeamSearch.decode(model.decoding(), groups.sourceIds(), options, batchSize);
        Vocabulary target = model.targetVocabulary();
        Tokenizer sourceTokenizer = model.sourceTokenizer();
        List<String> hypotheses = new ArrayList<>(sources.size());
        List<Sentence> sentences = new ArrayList<>(sources.size());
        int exact = 0;
        for (int i = 0; i < sources.size(); i++) {
            Hypothesis best = decoded.get(i).get(0);
            List<String> output = target.decode(best.tokens());
            if (options.replaceUnknown()) {
                output = BatchTranslator.replaceUnknown(best, output, sourceTokenizer.tokens(sources.get(i)));
            }
            String hypothesis = targetTokenizer.join(output);
            hypotheses.add(hypothesis);
            if (references.get(i).stream().anyMatch(reference -> reference.strip().equals(hypothesis.strip()))) {
                exact++;
            }
            sentences.add(new Sentence(sources.get(i), references.get(i), hypothesis, best.score(),
                    ChrF.CHRF2.sentence(hypothesis, references.get(i))));
        }
        References all = new References(references);
        List<MetricScore> scores = new ArrayList<>();
        for (Metric metric : metrics) {
            scores.add(metric.corpus(hypotheses, all));
        }
        double loss = stats.positions() == 0 ? Double.NaN : stats.lossSum() / stats.positions();
        double accuracy = stats.positions() == 0 ? Double.NaN : (double) stats.correct() / stats.positions();
        return new Evaluation(examples.size(), sources.size(), all.total(), loss, accuracy,
                sources.isEmpty() ? 0 : (double) exact / sources.size(), List.copyOf(scores), List.copyOf(sentences),
                buckets(sources, hypotheses, references));
    }

    /**
     * The corpus chrF2 of greedy translations of the first {@code sample} distinct sources of the
     * examples, each against all its references: the per-epoch figure of --chrf-sample.
     */
    public static double sampleChrF(Seq2SeqModel model, List<Corpus.Example> examples, int sample, int batchSize) {
        Tokenizer targetTokenizer = model.targetTokenizer();
        SourceGroups groups = SourceGroups.of(examples, targetTokenizer, sample);
        List<List<Hypothesis>> decoded = BeamSearch.decode(model.decoding(), groups.sourceIds(),
                DecodeOptions.greedy(BatchTranslator.defaultMaxLength(model)), batchSize);
        List<String> hypotheses = new ArrayList<>();
        for (List<Hypothesis> nBest : decoded) {
            hypotheses.add(targetTokenizer.join(model.targetVocabulary().decode(nBest.get(0).tokens())));
        }
        return ChrF.CHRF2.corpus(hypotheses, new References(groups.references())).score();
    }

    /** chrF2 by source length, for the buckets that hold a source. */
    private static List<Bucket> buckets(List<String> sources, List<String> hypotheses, List<List<String>> references) {
        List<Bucket> buckets = new ArrayList<>();
        int from = 1;
        for (int to : BUCKET_ENDS) {
            List<String> inBucket = new ArrayList<>();
            List<List<String>> bucketReferences = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                int length = Limits.characters(sources.get(i));
                if (length >= from && length <= to) {
                    inBucket.add(hypotheses.get(i));
                    bucketReferences.add(references.get(i));
                }
            }
            if (!inBucket.isEmpty()) {
                double chrF = ChrF.CHRF2.corpus(inBucket, new References(bucketReferences)).score();
                buckets.add(new Bucket(from, to, inBucket.size(), chrF));
            }
            from = to + 1;
        }
        return buckets;
    }
}
