package dev.seq2seq.translator.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.seq2seq.engine.Tensor;
import dev.seq2seq.nn.io.Checkpoint;
import dev.seq2seq.nn.io.CheckpointException;
import dev.seq2seq.nn.io.SafeTensors;
import dev.seq2seq.nn.optim.Optimizer;
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
 * </pre>
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
        Seq2SeqModel model = new Seq2SeqModel(config);
        Checkpoint.restore(file, model.parameters(), true);
        return new Loaded(model, training, training != null && !"none".equals(metadata.get("optimizer")));
    }

    /** Loads the optimiser's running state saved beside the weights. */
    public static void restoreOptimizer(Path file, Seq2SeqModel model, Optimizer optimizer) throws IOException {
        List<Tensor> everything = new ArrayList<>(model.parameters());
        everything.addAll(optimizer.state());
        Checkpoint.restore(file, everything, false);
    }
}
