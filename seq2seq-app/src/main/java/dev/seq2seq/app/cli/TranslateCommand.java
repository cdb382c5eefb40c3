package dev.seq2seq.app.cli;

import dev.seq2seq.app.data.DataException;
import dev.seq2seq.app.data.Limits;
import dev.seq2seq.app.data.TextLines;
import dev.seq2seq.app.decode.Translator;
import dev.seq2seq.app.model.ModelFile;
import dev.seq2seq.nn.io.AtomicFile;
import dev.seq2seq.nn.io.CheckpointException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
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

@Command(name = "translate", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Translates sentences with a trained model (greedy decoding, many sentences at once).",
                "Sentences come from the arguments, from --file, or one per line from standard input; lines are"
                        + " translated as they arrive, a batch at a time, one output line per input line."},
        footer = {"", "Examples:",
                "  seq2seq translate \"Go.\" \"I won!\" \"Help me.\"",
                "  echo \"I'm hungry.\" | seq2seq translate",
                "  seq2seq translate --model seq2seq.best.safetensors \\",
                "      --file sentences.txt > french.txt",
                "", Main.EXIT_CODES})
final class TranslateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SENTENCE", arity = "0..*", description = "Sentences to translate.")
    List<String> sentences = new ArrayList<>();

    @Mixin
    ModelOption trained;

    @Option(names = "--file", paramLabel = "FILE", description = "Read sentences from FILE, one per line (UTF-8).")
    Path file;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "64",
            description = "Sentences decoded together. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--max-length", paramLabel = "N",
            description = "Longest output, in tokens, at most " + Limits.MAX_SENTENCE_CHARACTERS
                    + ". Default: the longest training target plus a quarter.")
    Integer maxLength;

    @Mixin
    KernelOptions kernels;

    @Override
    public Integer call() throws IOException, DataException {
        if (batch < 1 || (maxLength != null && (maxLength < 1 || maxLength > Limits.MAX_SENTENCE_CHARACTERS))) {
            throw new IllegalArgumentException("--batch must be at least 1 and --max-length from 1 to "
                    + Limits.MAX_SENTENCE_CHARACTERS);
        }
        if (!sentences.isEmpty() && file != null) {
            throw new IllegalArgumentException("give sentences as arguments or with --file, not both");
        }
        if (file != null && Files.isDirectory(file)) {
            throw new DataException(file + ": is a folder, not a file of sentences");
        }
        if (!sentences.isEmpty()) {
            translateArguments(translator());
            return 0;
        }
        String source = file != null ? file.toString() : "standard input";
        try (InputStream in = file != null ? Files.newInputStream(file) : System.in) {
            if (stream(new TextLines(in, source), translator()) == 0) {
                throw new DataException("nothing to translate: give sentences as arguments, with --file, or on"
                        + " standard input");
            }
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new DataException(source + ": cannot be read (" + AtomicFile.reason(e) + ")");
        }
        return 0;
    }

    /** The model, loaded after the input is known to be there. */
    private Translator translator() throws IOException {
        kernels.start();
        ModelFile.Loaded loaded = ModelFile.load(trained.model);
        int limit = maxLength != null ? maxLength : Translator.defaultMaxLength(loaded.model());
        return new Translator(loaded.model(), limit, batch);
    }

    /** Arguments are for people: each is shown with its translation. */
    private void translateArguments(Translator translator) {
        List<String> input = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            input.add(withinLimit(sentences.get(i), "argument " + (i + 1)));
        }
        List<String> output = translator.translate(input, System.err);
        for (int i = 0; i < input.size(); i++) {
            System.out.println(sentences.get(i) + "  ->  " + output.get(i));
        }
    }

    /**
     * Translates the lines as they come: a batch is the lines that can be read without waiting (up to
     * --batch), so a pipe that sends one line and waits gets its answer. Returns the lines read.
     */
    private int stream(TextLines lines, Translator translator) throws IOException, DataException {
        PrintStream out = System.out;
        int count = 0;
        List<String> pending = new ArrayList<>();
        for (String line = lines.next(); line != null; line = lines.next()) {
            count++;
            if (line.isBlank()) {
                System.err.println("warning: line " + lines.lineNumber() + " is empty; its translation is empty");
            }
            pending.add(withinLimit(line, "line " + lines.lineNumber()));
            if (pending.size() == batch || !lines.ready()) {
                translator.translate(pending, System.err).forEach(out::println);
                out.flush();
                pending.clear();
            }
        }
        translator.translate(pending, System.err).forEach(out::println);
        out.flush();
        return count;
    }

    /** The sentence, or "" with a warning naming it when it is over the length limit (its line stays, empty). */
    private static String withinLimit(String sentence, String where) {
        int length = Limits.characters(sentence.strip());
        if (length <= Limits.MAX_SENTENCE_CHARACTERS) {
            return sentence;
        }
        System.err.println("warning: " + where + " has " + length + " characters, more than the limit of "
                + Limits.MAX_SENTENCE_CHARACTERS + "; left untranslated (an empty line)");
        return "";
    }
}
