package dev.seq2seq.app.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.seq2seq.engine.Tensor;
import dev.seq2seq.nn.io.Checkpoint;
import dev.seq2seq.nn.io.CheckpointException;
import dev.seq2seq.nn.io.SafeTensors;
import dev.seq2seq.nn.optim.RMSprop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One self-contained checkpoint file (safetensors): the weights, the vocabularies and the model
 * configuration in the metadata, and for training runs the optimiser state and the
 * {@link TrainingState}. {@code translate} needs nothing else.
 */
public final class ModelFile {
    static final String FORMAT = "seq2seq-java/1";
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    private ModelFile() {
    }

    /** Saves the model, and when given the optimiser state and training state, atomically. */
    public static void save(Path file, Seq2SeqModel model, RMSprop optimizer, TrainingState state) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("config", GSON.toJson(model.config()));
        if (state != null) {
            metadata.put("training", GSON.toJson(state));
        }
        List<Tensor> tensors = new ArrayList<>(model.parameters());
        if (optimizer != null) {
            tensors.addAll(optimizer.state());
        }
        Checkpoint.save(file, metadata, tensors);
    }

    /** A loaded checkpoint: the model, and the training state when the file has one. */
    public record Loaded(Seq2SeqModel model, TrainingState training) {
    }

    /** Reads the configuration, builds the model, and loads its weights (optimiser state is left in the file). */
    public static Loaded load(Path file) throws IOException {
        Map<String, String> metadata = SafeTensors.readMetadata(file);
        if (!FORMAT.equals(metadata.get("format"))) {
            throw new CheckpointException(file, "not a checkpoint of this translator (metadata format is "
                    + (metadata.containsKey("format") ? "'" + metadata.get("format") + "'" : "missing")
                    + ", expected '" + FORMAT + "')");
        }
        ModelConfig config;
        TrainingState training;
        try {
            config = GSON.fromJson(metadata.get("config"), ModelConfig.class);
            training = metadata.containsKey("training")
                    ? GSON.fromJson(metadata.get("training"), TrainingState.class) : null;
        } catch (JsonParseException | IllegalArgumentException | NullPointerException e) {
            throw new CheckpointException(file, "the model configuration in the metadata is damaged (" + e.getMessage()
                    + ")");
        }
        if (config == null || config.level() == null || config.padding() == null) {
            throw new CheckpointException(file, "the model configuration in the metadata is incomplete");
        }
        Seq2SeqModel model = new Seq2SeqModel(config);
        Checkpoint.restore(file, model.parameters(), true);
        return new Loaded(model, training);
    }

    /** Loads the optimiser's running averages saved beside the weights. */
    public static void restoreOptimizer(Path file, Seq2SeqModel model, RMSprop optimizer) throws IOException {
        List<Tensor> everything = new ArrayList<>(model.parameters());
        everything.addAll(optimizer.state());
        Checkpoint.restore(file, everything, false);
    }
}
