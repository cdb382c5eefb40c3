package dev.seq2seq.translator.train;

import dev.seq2seq.nn.io.CheckpointException;
import dev.seq2seq.nn.optim.Adam;
import dev.seq2seq.nn.optim.Optimizer;
import dev.seq2seq.nn.optim.RMSprop;
import dev.seq2seq.nn.optim.WeightAverage;
import dev.seq2seq.translator.data.Corpus;
import dev.seq2seq.translator.data.DataException;
import dev.seq2seq.translator.data.Level;
import dev.seq2seq.translator.data.Padding;
import dev.seq2seq.translator.data.PairFile;
import dev.seq2seq.translator.model.Architecture;
import dev.seq2seq.translator.model.Cell;
import dev.seq2seq.translator.model.ModelConfig;
import dev.seq2seq.translator.model.ModelFile;
import dev.seq2seq.translator.model.Seq2SeqModel;
import dev.seq2seq.translator.model.TrainingState.TrainingSettings;
import dev.seq2seq.translator.model.TrainingState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a training loop needs, built afresh or from a checkpoint to resume; {@code average}
 * is the moving average of the weights when the settings keep one, else null.
 */
public record TrainingRun(Corpus corpus, Seq2SeqModel model, Optimizer optimizer, WeightAverage average,
                          TrainingState state) {
    static final float RHO = 0.9f;
    static final float EPSILON = 1e-7f;
    static final float ADAM_BETA1 = 0.9f;
    static final float ADAM_BETA2 = 0.999f;
    static final float ADAM_EPSILON = 1e-8f;

    /** The optimiser the settings name, at their rate and clipping, with its own defaults otherwise. */
    static Optimizer optimizer(TrainingSettings settings, Seq2SeqModel model) {
        return switch (settings.optimizer()) {
            case RMSPROP -> new RMSprop(model.parameters(), settings.learningRate(), RHO, EPSILON, settings.clipNorm());
            case ADAM -> new Adam(model.parameters(), settings.learningRate(), ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON,
                    settings.clipNorm());
        };
    }

    /** The moving average of the model's weights the settings ask for (starting at the current weights), or null. */
    static WeightAverage average(TrainingSettings settings, Seq2SeqModel model) {
        return settings.averagesWeights() ? new WeightAverage(model.parameters(), settings.averageDecay()) : null;
    }

    /**
     * A new run: vocabularies from the data, fresh weights from the seed. The settings record where
     * the pairs came from ({@link PairFile#data()}) and the SHA-256 of their file.
     */
    public static TrainingRun start(PairFile pairs, TrainingSettings settings, Level level, Cell cell, int latent,
                                    Padding padding) throws DataException {
        return start(pairs, settings, Architecture.plain(level, cell, latent, padding));
    }

    /** As {@link #start(PairFile, TrainingSettings, Level, Cell, int, Padding)}, for any architecture. */
    public static TrainingRun start(PairFile pairs, TrainingSettings settings, Architecture architecture)
            throws DataException {
        Level level = architecture.level();
        int latent = architecture.latent();
        Corpus corpus = Corpus.build(pairs, level, architecture.words(), settings.heldOut(), settings.vocabularySize(),
                settings.merges());
        corpus.requireTrainingAndValidation(pairs.source(), settings.heldOut());
        ModelConfig config = new ModelConfig(level, architecture.cell(), latent, architecture.padding(),
                corpus.sourceVocabulary().dataTokens(), corpus.targetVocabulary().dataTokens(),
                corpus.maxSourceLength(), corpus.maxTargetLength(), settings.seed(), architecture.attention(),
                architecture.bidirectional(), architecture.dropout(), architecture.layers(),
                corpus.sourceTokenizer().merges(), corpus.targetTokenizer().merges(), architecture.words());
        config.requireFitsInMemory(4, "--latent " + latent);
        Seq2SeqModel model = new Seq2SeqModel(config);
        Optimizer optimizer = optimizer(settings, model);
        TrainingState state = new TrainingState(settings.withData(pairs.data(), pairs.sha256()), 0, 0, 0, 0,
                List.of(), Double.POSITIVE_INFINITY);
        return new TrainingRun(corpus, model, optimizer, average(settings, model), state);
    }

    /**
     * The run saved in {@code file} (already loaded as {@code loaded}), on {@code pairs}, the data it
     * names (checked by the caller against the recorded SHA-256); {@code epochs} (if not null)
     * replaces the planned total.
     */
    public static TrainingRun resume(Path file, ModelFile.Loaded loaded, PairFile pairs, Integer epochs)
            throws IOException, DataException {
        TrainingState saved = loaded.training();
        if (saved == null || !loaded.resumable()) {
            throw new CheckpointException(file, saved == null ? "holds no training state to resume"
                    : "holds no optimiser state (a best-epoch checkpoint or an export); resume from the run's"
                    + " main checkpoint");
        }
        TrainingSettings kept = epochs != null ? saved.settings().withEpochs(epochs) : saved.settings();
        // The same content, perhaps found at another path (--data): the checkpoint records where it is now.
        TrainingSettings settings = kept.withData(pairs.data(), pairs.sha256());
        Seq2SeqModel model = loaded.model();
        Corpus corpus = Corpus.build(pairs.first(settings.numSamples()), model.config().level(),
                model.config().words(), settings.heldOut(), settings.vocabularySize(), settings.merges());
        if (!corpus.sourceVocabulary().equals(model.sourceVocabulary())
                || !corpus.targetVocabulary().equals(model.targetVocabulary())
                || !corpus.sourceTokenizer().merges().equals(model.config().sourceMerges())
                || !corpus.targetTokenizer().merges().equals(model.config().targetMerges())) {
            throw new DataException(file + ": was trained on other data than " + pairs.source() + " (first "
                    + settings.numSamples() + " pairs): the vocabularies differ");
        }
        Optimizer optimizer = optimizer(settings, model);
        WeightAverage average = average(settings, model);
        ModelFile.restoreOptimizer(file, model, optimizer, average);
        optimizer.setIterations(saved.iterations());
        TrainingState state = new TrainingState(settings, saved.epochsDone(), saved.batchesDone(),
                saved.partialLossSum(), saved.iterations(), saved.history(), saved.bestValidation());
        return new TrainingRun(corpus, model, optimizer, average, state);
    }
}
