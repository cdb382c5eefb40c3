package dev.seq2seq.app.train;

import dev.seq2seq.app.data.Corpus;
import dev.seq2seq.app.data.DataException;
import dev.seq2seq.app.data.Level;
import dev.seq2seq.app.data.Padding;
import dev.seq2seq.app.data.PairFile;
import dev.seq2seq.app.model.ModelConfig;
import dev.seq2seq.app.model.ModelFile;
import dev.seq2seq.app.model.Seq2SeqModel;
import dev.seq2seq.app.model.TrainingState;
import dev.seq2seq.app.model.TrainingState.TrainingSettings;
import dev.seq2seq.nn.io.CheckpointException;
import dev.seq2seq.nn.optim.RMSprop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Everything a training loop needs, built afresh or from a checkpoint to resume. */
public record TrainingRun(Corpus corpus, Seq2SeqModel model, RMSprop optimizer, TrainingState state) {
    static final float RHO = 0.9f;
    static final float EPSILON = 1e-7f;

    /** A new run: vocabularies from the data, fresh weights from the seed. */
    public static TrainingRun start(PairFile pairs, TrainingSettings settings, Level level, String cell, int latent,
                                    Padding padding) {
        Corpus corpus = Corpus.build(pairs, level, settings.validationSplit());
        ModelConfig config = new ModelConfig(level, cell, latent, padding, corpus.sourceVocabulary().dataTokens(),
                corpus.targetVocabulary().dataTokens(), corpus.maxSourceLength(), corpus.maxTargetLength(),
                settings.seed());
        Seq2SeqModel model = new Seq2SeqModel(config);
        RMSprop optimizer = new RMSprop(model.parameters(), settings.learningRate(), RHO, EPSILON, settings.clipNorm());
        TrainingState state = new TrainingState(settings, 0, 0, 0, 0, List.of(), Double.POSITIVE_INFINITY);
        return new TrainingRun(corpus, model, optimizer, state);
    }

    /**
     * The run saved in {@code file}, with its data read again by {@code readPairs(data, numSamples)};
     * {@code epochs} (if not null) replaces the planned total.
     */
    public static TrainingRun resume(Path file, Integer epochs, PairReader readPairs) throws IOException, DataException {
        ModelFile.Loaded loaded = ModelFile.load(file);
        TrainingState saved = loaded.training();
        if (saved == null) {
            throw new CheckpointException(file, "holds no training state to resume");
        }
        TrainingSettings old = saved.settings();
        TrainingSettings settings = new TrainingSettings(old.data(), old.numSamples(), old.validationSplit(),
                old.batchSize(), old.learningRate(), old.clipNorm(), old.teacherForcing(), old.seed(),
                epochs != null ? epochs : old.epochs());
        Seq2SeqModel model = loaded.model();
        Corpus corpus = Corpus.build(readPairs.read(settings.data(), settings.numSamples()), model.config().level(),
                settings.validationSplit());
        if (!corpus.sourceVocabulary().equals(model.sourceVocabulary())
                || !corpus.targetVocabulary().equals(model.targetVocabulary())) {
            throw new DataException(file + ": was trained on other data than " + settings.data() + " (first "
                    + settings.numSamples() + " pairs): the vocabularies differ");
        }
        RMSprop optimizer = new RMSprop(model.parameters(), settings.learningRate(), RHO, EPSILON, settings.clipNorm());
        ModelFile.restoreOptimizer(file, model, optimizer);
        optimizer.setIterations(saved.iterations());
        TrainingState state = new TrainingState(settings, saved.epochsDone(), saved.batchesDone(),
                saved.partialLossSum(), saved.iterations(), saved.history(), saved.bestValidation());
        return new TrainingRun(corpus, model, optimizer, state);
    }

    /** Reads the pairs a run names ("bundled" or a path) and keeps the first N. */
    @FunctionalInterface
    public interface PairReader {
        PairFile read(String data, int numSamples) throws DataException;
    }
}
