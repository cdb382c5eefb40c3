package dev.seq2seq.app.cli;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.translator.data.Corpus;
import dev.seq2seq.translator.data.Level;
import dev.seq2seq.translator.data.Vocabulary;
import dev.seq2seq.translator.data.Words;
import dev.seq2seq.translator.model.Attention;
import dev.seq2seq.translator.model.ModelConfig;
import dev.seq2seq.translator.model.RateSchedule;
import dev.seq2seq.translator.model.Seq2SeqModel;
import dev.seq2seq.translator.model.TrainingState.TrainingSettings;
import dev.seq2seq.translator.model.TrainingState;
import dev.seq2seq.translator.train.Trainer;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The lines {@code train} prints before its first epoch, so that a run's log says what it trained:
 * the data and its split, the vocabularies, the model and its optimiser, the loss.
 */
final class RunHeader {
    private RunHeader() {
    }

    static void print(PrintStream out, Corpus corpus, Seq2SeqModel network, TrainingState state) {
        long parameters = network.parameters().stream().mapToLong(Tensor::size).sum();
        ModelConfig config = network.config();
        TrainingSettings settings = state.settings();
        String unit = config.level().unit();
        out.printf(Locale.ROOT, "data: %d training pairs, %d validation pairs%s; %d source and %d target %s"
                        + " (with 4 reserved); longest source %d, longest target %d %s%s%n",
                corpus.training().size(), corpus.validation().size(),
                corpus.test().isEmpty() ? "" : ", " + corpus.test().size() + " test pairs",
                corpus.sourceVocabulary().size(),
                corpus.targetVocabulary().size(), unit,
                config.maxSourceLength(), config.maxTargetLength(), unit,
                config.level() != Level.CHAR && config.words() == Words.SPLIT
                        ? "; words split after apostrophes and before hyphens" : "");
        if (settings.vocabularySize() > 0) {
            out.printf(Locale.ROOT, "vocabularies: the %d most frequent tokens of each side; unknown in the training"
                            + " pairs: %.2f%% of source and %.2f%% of target tokens%n", settings.vocabularySize(),
                    100 * unknownShare(corpus.training(), true), 100 * unknownShare(corpus.training(), false));
        }
        out.printf(Locale.ROOT, "model: %s encoder-decoder%s, latent %d, %,d parameters; batch %d, %s, teacher"
                        + " forcing %s%n", config.cell().name(), architecture(config), config.latent(), parameters,
                settings.batchSize(), optimiser(settings), settings.teacherForcing() ? "on" : "off");
        float smoothing = settings.labelSmoothing();
        out.println("loss: cross-entropy" + (smoothing > 0 ? " against targets smoothed by " + smoothing
                + " (val_loss: against the true targets)" : "") + ", " + Trainer.lossKind(config.padding())
                + " (padding: " + config.padding() + ")");
    }

    /** " (bidirectional encoder) with general attention, 2 layers, dropout 0.2": what the seed's model lacks. */
    static String architecture(ModelConfig config) {
        return (config.bidirectional() ? " (bidirectional encoder)" : "")
                + (config.attention() == Attention.NONE ? "" : " with " + config.attention() + " attention")
                + (config.layers() > 1 ? ", " + config.layers() + " layers" : "")
                + (config.dropout() > 0 ? ", dropout " + config.dropout() : "");
    }

    /** "RMSprop lr 0.001 (decay 0.5 when validation does not improve)", and the schedule and clipping. */
    private static String optimiser(TrainingSettings settings) {
        return settings.optimizer().display() + " lr " + settings.learningRate()
                + (settings.lrDecay() < 1 ? " (decay " + settings.lrDecay() + " when validation does not improve)" : "")
                + (settings.rateSchedule() == RateSchedule.LINEAR
                        ? " falling linearly to 0 by the end of epoch " + settings.epochs() : "")
                + (settings.clipNorm() > 0 ? ", clip norm " + settings.clipNorm() : "")
                + (settings.averagesWeights() ? "; translates with the weights' moving average (decay "
                        + settings.averageDecay() + ")" : "");
    }

    /** The share of the examples' source (or target) tokens that are the unknown id. */
    private static double unknownShare(List<Corpus.Example> examples, boolean source) {
        long unknown = 0;
        long total = 0;
        for (Corpus.Example example : examples) {
            for (int id : source ? example.source() : example.target()) {
                unknown += id == Vocabulary.UNKNOWN ? 1 : 0;
                total++;
            }
        }
        return total == 0 ? 0 : (double) unknown / total;
    }
}
