package dev.seq2seq.app.eval;

import dev.seq2seq.app.data.Batch;
import dev.seq2seq.app.data.Corpus;
import dev.seq2seq.app.data.Level;
import dev.seq2seq.app.data.Vocabulary;
import dev.seq2seq.app.decode.GreedyDecoder;
import dev.seq2seq.app.model.Seq2SeqModel;
import dev.seq2seq.engine.autograd.Tape;
import java.util.ArrayList;
import java.util.List;

/**
 * What a model achieves on held-out pairs: the loss and next-token accuracy under teacher
 * forcing, and, on its own greedy translations, the exact-match rate, chrF and BLEU.
 */
public record Evaluation(int pairs, double loss, double accuracy, double exactMatch, double chrF, double bleu,
                         List<String> hypotheses) {

    /** Teacher-forced loss and accuracy only (cheap: what each epoch reports). */
    public static Seq2SeqModel.BatchStats teacherForced(Seq2SeqModel model, List<Corpus.Example> examples,
                                                        int batchSize) {
        Seq2SeqModel.BatchStats total = new Seq2SeqModel.BatchStats(0, 0, 0);
        try (Tape.Scope ignored = Tape.pause()) {
            for (int from = 0; from < examples.size(); from += batchSize) {
                Batch batch = model.batch(examples.subList(from, Math.min(examples.size(), from + batchSize)));
                total = total.plus(model.measure(batch));
            }
        }
        return total;
    }

    /** Everything, with greedy translations decoded up to {@code maxLength} tokens. */
    public static Evaluation run(Seq2SeqModel model, List<Corpus.Example> examples, int batchSize, int maxLength) {
        Seq2SeqModel.BatchStats stats = teacherForced(model, examples, batchSize);
        Level level = model.config().level();
        List<int[]> sources = new ArrayList<>();
        List<String> references = new ArrayList<>();
        for (Corpus.Example example : examples) {
            sources.add(example.source());
            // compared in the form the model writes (for words: tokens joined back)
            references.add(level.join(level.tokens(example.pair().target())));
        }
        List<int[]> decoded = GreedyDecoder.decode(model, sources, maxLength, batchSize);
        Vocabulary target = model.targetVocabulary();
        List<String> hypotheses = new ArrayList<>();
        int exact = 0;
        for (int i = 0; i < decoded.size(); i++) {
            String hypothesis = level.join(target.decode(decoded.get(i)));
            hypotheses.add(hypothesis);
            if (hypothesis.strip().equals(references.get(i).strip())) {
                exact++;
            }
        }
        double loss = stats.positions() == 0 ? Double.NaN : stats.lossSum() / stats.positions();
        double accuracy = stats.positions() == 0 ? Double.NaN : (double) stats.correct() / stats.positions();
        return new Evaluation(examples.size(), loss, accuracy, examples.isEmpty() ? 0 : (double) exact / examples.size(),
                ChrF.CHRF2.corpus(hypotheses, References.single(references)).score(),
                new Bleu(BleuTokenizer.THIRTEEN_A).corpus(hypotheses, References.single(references)).score(), hypotheses);
    }
}
