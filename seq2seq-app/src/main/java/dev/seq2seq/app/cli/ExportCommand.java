package dev.seq2seq.app.cli;

import dev.seq2seq.translator.data.DataException;
import dev.seq2seq.translator.model.ModelFile.Contents;
import dev.seq2seq.translator.model.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Writes a copy of a trained model without the optimiser's state (half the size): what"
                + " translate needs, and the training history unless --weights-only.",
                "tools/export/to_pytorch.py loads such a file (or any checkpoint) into the same model in PyTorch."},
        footer = {"", "Examples:",
                "  seq2seq export --output model.weights.safetensors --weights-only",
                "  seq2seq export --model seq2seq.best.safetensors --output best-small.safetensors",
                "", Main.EXIT_CODES})
final class ExportCommand implements Callable<Integer> {

    @Mixin
    ModelOption trained;

    @Option(names = "--output", paramLabel = "FILE", required = true,
            description = "The file to write (it must not exist yet, unless --overwrite).")
    Path output;

    @Option(names = "--weights-only", description = "Only the weights, configuration and vocabularies: no training"
            + " history or settings.")
    boolean weightsOnly;

    @Option(names = "--overwrite", description = "Replace --output if it exists.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException, DataException {
        if (Files.isDirectory(output)) {
            throw new DataException(output + ": is a folder; --output names the file to write");
        }
        if (Files.exists(output) && !overwrite) {
            throw new DataException(output + ": already exists; give another --output, or --overwrite");
        }
        if (output.toAbsolutePath().normalize().equals(trained.model.toAbsolutePath().normalize())) {
            throw new DataException(output + ": is the model itself; give another --output");
        }
        ModelFile.Loaded loaded = ModelFile.load(trained.model);
        Contents contents = weightsOnly || loaded.training() == null ? Contents.WEIGHTS_ONLY
                : Contents.WEIGHTS_AND_HISTORY;
        ModelFile.save(output, loaded.model(), null, loaded.training(), contents);
        System.out.printf(Locale.ROOT, "wrote %s (%s, %,d bytes; %s was %,d bytes)%n", output,
                contents == Contents.WEIGHTS_ONLY ? "weights only" : "weights and training history",
                Files.size(output), trained.model, Files.size(trained.model));
        return 0;
    }
}
