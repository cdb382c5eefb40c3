package dev.seq2seq.nn.io;

import dev.seq2seq.engine.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Saves and restores a model's named tensors (parameters and optimiser state) with metadata, in
 * one safetensors file. Restoring checks every expected tensor is there with its exact shape and
 * only finite values before it changes anything: a mismatched file leaves the model as it was.
 */
public final class Checkpoint {
    private Checkpoint() {
    }

    /** Writes the tensors (named) and the metadata atomically. */
    public static void save(Path file, Map<String, String> metadata, List<Tensor> tensors) throws IOException {
        SafeTensors.write(file, metadata, tensors);
    }

    /**
     * Copies the file's values into {@code targets}, matched by name; returns the metadata. Throws
     * (changing nothing) if a tensor is missing, has another shape, or the file has extra tensors.
     */
    public static Map<String, String> restore(Path file, List<Tensor> targets) throws IOException {
        return restore(file, targets, false);
    }

    /**
     * As {@link #restore(Path, List)}; with {@code allowOthers} the file may hold more tensors than
     * asked for (a training checkpoint's optimiser state, when only the weights are wanted).
     */
    public static Map<String, String> restore(Path file, List<Tensor> targets, boolean allowOthers) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        List<String> problems = new ArrayList<>();
        for (Tensor target : targets) {
            Tensor stored = contents.tensors().get(target.name());
            if (stored == null) {
                problems.add("tensor " + target.name() + " is missing");
            } else if (!Arrays.equals(stored.shape(), target.shape())) {
                problems.add("tensor " + target.name() + " has shape " + Arrays.toString(stored.shape())
                        + " but the model expects " + Arrays.toString(target.shape()));
            } else {
                int bad = stored.firstNonFinite();
                if (bad >= 0) {
                    problems.add("tensor " + target.name() + " holds " + stored.at(bad) + " at element " + bad
                            + " (weights must be finite numbers)");
                }
            }
        }
        if (!allowOthers && contents.tensors().size() != targets.size() && problems.isEmpty()) {
            List<String> expected = targets.stream().map(Tensor::name).toList();
            List<String> extra = contents.tensors().keySet().stream().filter(n -> !expected.contains(n)).toList();
            problems.add("unexpected tensors " + extra);
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(file, "does not fit this model: " + problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
        }
        for (Tensor target : targets) {
            target.copyFrom(contents.tensors().get(target.name()));
        }
        return contents.metadata();
    }
}
