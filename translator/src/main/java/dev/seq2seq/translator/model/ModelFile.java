package dev.seq2seq.translator.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.seq2seq.engine.Tensor;
import dev.seq2seq.nn.init.Initializers;
import dev.seq2seq.nn.io.Checkpoint;
import dev.seq2seq.nn.io.CheckpointException;
import dev.seq2seq.nn.io.SafeTensors;
import dev.seq2seq.nn.optim.Optimizer;
import dev.seq2seq.nn.optim.WeightAverage;
import dev.seq2seq.translator.data.Vocabulary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One self-contained checkpoint file (safetensors): the weights, the vocabularies and the model
 * configuration in the metadata, and for training runs the {@link TrainingState} and, in the
 * checkpoint a run resumes from, the optimiser state. {@code translate} needs nothing else.
 *
 * <p>Metadata entries (each a string, as safetensors wants; JSON inside):
 * <pre>
 *   format      "seq2seq-java/1"
 *   config      {@link ModelConfig}: level, cell, latent, padding, the data tokens of both vocabularies, ...
 *   vocabulary  the reserved ids {"pad": 0, "start": 1, "end": 2, "unknown": 3}, their tokens, and the
 *               regular expression of the word tokenizer: what a reader in another language needs
 *   training    {@link TrainingState} (absent from a weights-only export)
 *   optimizer   "rmsprop" or "adam" when the file holds that optimiser's running state, "none" when
 *               it holds none (files written before this entry existed hold RMSprop's)
 *   average     present in a resumable checkpoint of a run that averages its weights
 *               ({@link WeightAverage}): the file then holds the averages too ("{parameter}/average"),
 *               and they, not the training weights, are what loading gives to translate with
 * </pre>
 * A best-epoch checkpoint or an export of such a run holds the averages as its weights.
 * Loading checks every field and every tensor before it builds anything from them.
 */
public final class ModelFile {
    static final String FORMAT = "seq2seq-java/1";
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    private ModelFile() {
    }

    /** What a checkpoint holds besides the weights. */
    public enum Contents {
        /** Weights, configuration and training state, and the optimiser's state: a run resumes from it. */
        RESUMABLE,
        /** Weights, configuration and training state (the best checkpoint: half the size). */
        WEIGHTS_AND_HISTORY,
        /** Weights and configuration only (an export). */
        WEIGHTS_ONLY
    }

    /** Saves the model with what {@code contents} asks for, atomically. */
    public static void save(Path file, Seq2SeqModel model, Optimizer optimizer, TrainingState state, Contents contents)
            throws IOException {
        save(file, model, optimizer, null, state, contents);
    }

    /**
     * As {@link #save(Path, Seq2SeqModel, Optimizer, TrainingState, Contents)} for a run that keeps
     * {@code average} of its weights (null: none). A resumable file holds the training weights and
     * the averages; any other holds the averages as the weights.
     */
    public static void save(Path file, Seq2SeqModel model, Optimizer optimizer, WeightAverage average,
                            TrainingState state, Contents contents) throws IOException {
        if (average != null && contents != Contents.RESUMABLE) {
            average.swap();
            try {
                save(file, model, optimizer, null, state, contents);
            } finally {
                average.swap();
            }
            return;
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("config", GSON.toJson(model.config()));
        metadata.put("vocabulary", GSON.toJson(vocabularyNotes(model.config())));
        if (contents != Contents.WEIGHTS_ONLY) {
            metadata.put("training", GSON.toJson(state));
        }
        List<Tensor> tensors = new ArrayList<>(model.parameters());
        if (contents == Contents.RESUMABLE) {
            metadata.put("optimizer", optimizer.name());
            tensors.addAll(optimizer.state());
            if (average != null) {
                metadata.put("average", Float.toString(average.decay()));
                tensors.addAll(average.state());
            }
        } else {
            metadata.put("optimizer", "none");
        }
        Checkpoint.save(file, metadata, tensors);
    }

    private static Map<String, Object> vocabularyNotes(ModelConfig config) {
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("pad", Vocabulary.PAD);
        notes.put("start", Vocabulary.START);
        notes.put("end", Vocabulary.END);
        notes.put("unknown", Vocabulary.UNKNOWN);
        notes.put("reservedTokens", Vocabulary.reserved());
        notes.put("charTokens", "one token per Unicode code point");
        notes.put("wordTokens", config.words().pattern());
        return notes;
    }

    /** A loaded checkpoint: the model, the training state when the file has one, and whether it can resume. */
    public record Loaded(Seq2SeqModel model, TrainingState training, boolean resumable) {
    }

    /** Reads and checks the configuration, builds the model, and loads its weights (optimiser state stays in the file). */
    public static Loaded load(Path file) throws IOException {
        Map<String, String> metadata = SafeTensors.readMetadata(file);
        if (!FORMAT.equals(metadata.get("format"))) {
            throw new CheckpointException(file, "not a checkpoint of this translator (metadata format is "
                    + (metadata.containsKey("format") ? "'" + metadata.get("format") + "'" : "missing")
                    + ", expected '" + FORMAT + "')");
        }
        ModelConfig config = ModelConfig.read(file, metadata.get("config"));
        TrainingState training = metadata.containsKey("training")
                ? TrainingState.read(file, metadata.get("training")) : null;
        config.requireFitsInMemory(1, file.toString());
        // every weight is read from the file below (a missing one is refused), so none is drawn
        Seq2SeqModel model = Initializers.withoutDrawing(() -> new Seq2SeqModel(config));
        if (metadata.containsKey("average")) {
            // translate with the averages; a resumed run restores the training weights beside them
            List<Tensor> averages = new ArrayList<>();
            for (Tensor parameter : model.parameters()) {
                averages.add(parameter.copy().named(WeightAverage.averageName(parameter.name())));
            }
            Checkpoint.restore(file, averages, true);
            for (int p = 0; p < averages.size(); p++) {
                model.parameters().get(p).copyFrom(averages.get(p));
            }
        } else {
            Checkpoint.restore(file, model.parameters(), true);
        }
        return new Loaded(model, training, training != null && !"none".equals(metadata.get("optimizer")));
    }

    /**
     * Loads the training weights and the optimiser's running state saved beside them, and the
     * averages of the weights when the run keeps them ({@code average} not null).
     */
    public static void restoreOptimizer(Path file, Seq2SeqModel model, Optimizer optimizer, WeightAverage average)
            throws IOException {
        Map<String, String> metadata = SafeTensors.readMetadata(file);
        if ((average != null) != metadata.containsKey("average")) {
            throw new CheckpointException(file, average != null ? "holds no averages of the weights, which its"
                    + " settings keep" : "holds averages of the weights, which its settings do not keep");
        }
        List<Tensor> everything = new ArrayList<>(model.parameters());
        everything.addAll(optimizer.state());
        if (average != null) {
            everything.addAll(average.state());
        }
        Checkpoint.restore(file, everything, false);
    }
}
