package dev.seq2seq.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The trained model a command reads (translate, evaluate, export): one option, one default, one wording. */
final class ModelOption {
    @Option(names = "--model", paramLabel = "FILE", defaultValue = "seq2seq.safetensors",
            description = "Trained model (a checkpoint of train, its .best one, or an export). Default: ${DEFAULT-VALUE}.")
    Path model;
}
