package dev.seq2seq.app.cli;

import dev.seq2seq.app.data.DataException;
import dev.seq2seq.app.decode.Translator;
import dev.seq2seq.app.model.ModelFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "translate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Translates sentences with a trained model (greedy decoding, many sentences at once).",
                "Sentences come from the arguments, from --file, or one per line from standard input."},
        footer = {"", "Examples:",
                "  seq2seq translate \"Go.\" \"I won!\" \"Help me.\"",
                "  echo \"I'm hungry.\" | seq2seq translate",
                "  seq2seq translate --model seq2seq.best.safetensors --file sentences.txt > french.txt"})
final class TranslateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SENTENCE", arity = "0..*", description = "Sentences to translate.")
    List<String> sentences = new ArrayList<>();

    @Option(names = "--model", paramLabel = "FILE", defaultValue = "seq2seq.safetensors",
            description = "Trained model. Default: ${DEFAULT-VALUE}.")
    Path model;

    @Option(names = "--file", paramLabel = "FILE", description = "Read sentences from FILE, one per line.")
    Path file;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "64",
            description = "Sentences decoded together. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--max-length", paramLabel = "N",
            description = "Longest output, in tokens. Default: the longest training target plus a quarter.")
    Integer maxLength;

    @Mixin
    KernelOptions kernels;

    @Override
    public Integer call() throws IOException, DataException {
        if (batch < 1 || (maxLength != null && maxLength < 1)) {
            throw new IllegalArgumentException("--batch and --max-length must be at least 1");
        }
        boolean fromArguments = !sentences.isEmpty();
        List<String> input = new ArrayList<>(sentences);
        if (file != null) {
            try {
                input.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                throw new DataException(file + ": no such file");
            } catch (java.nio.charset.MalformedInputException e) {
                throw new DataException(file + ": not UTF-8 text");
            }
        } else if (!fromArguments) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                input.add(line);
            }
        }
        if (input.isEmpty()) {
            throw new DataException("nothing to translate: give sentences as arguments, with --file, or on standard input");
        }
        kernels.start();
        ModelFile.Loaded loaded = ModelFile.load(model);
        int limit = maxLength != null ? maxLength : Translator.defaultMaxLength(loaded.model());
        List<String> output = new Translator(loaded.model(), limit, batch).translate(input, System.err);
        for (int i = 0; i < input.size(); i++) {
            if (input.get(i).isBlank()) {
                System.err.println("warning: line " + (i + 1) + " is empty; its translation is empty");
            }
            // Arguments are for people: show the pair. Files and pipes get one translation per line.
            System.out.println(fromArguments && file == null ? input.get(i) + "  ->  " + output.get(i) : output.get(i));
        }
        return 0;
    }
}
