package dev.seq2seq.app.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.seq2seq.translator.data.DataException;
import dev.seq2seq.translator.data.Limits;
import dev.seq2seq.translator.data.TextLines;
import dev.seq2seq.translator.decode.Translator;
import dev.seq2seq.app.plot.AlignmentPicture;
import dev.seq2seq.translator.model.ModelFile;
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
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "translate", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Translates sentences with a trained model (beam search or greedy decoding, many sentences"
                + " at once).",
                "Sentences come from the arguments, from --file, or one per line from standard input; lines are"
                        + " translated as they arrive, a batch at a time, one output line per input line (--n-best"
                        + " lines with --n-best N in text format)."},
        footer = {"", "Examples:",
                "  seq2seq translate \"Go.\" \"I won!\" \"Help me.\"",
                "  echo \"I'm hungry.\" | seq2seq translate",
                "  seq2seq translate --model seq2seq.best.safetensors \\",
                "      --file sentences.txt > french.txt",
                "  seq2seq translate --beam 1 \"Go.\"    # greedy: the seed's decoder",
                "  seq2seq translate --n-best 3 --format jsonl \"I won!\"",
                "", Main.EXIT_CODES})
final class TranslateCommand implements Callable<Integer> {
    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().create();

    @Parameters(paramLabel = "SENTENCE", arity = "0..*", description = "Sentences to translate.")
    List<String> sentences = new ArrayList<>();

    @Mixin
    ModelOption trained;

    @Option(names = "--file", paramLabel = "FILE", description = "Read sentences from FILE, one per line (UTF-8).")
    Path file;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "64",
            description = "Sentences decoded together. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Mixin
    DecodeOption decode;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text: the translation (the n-best, one per line); jsonl: one JSON object per input line,"
                    + " {\"src\": ..., \"n_best\": [{\"tgt\": ..., \"score\": ...}, ...]}, scores being total"
                    + " log-probabilities after the length penalty, best first; for a model with attention each"
                    + " also has \"align\", the source token each output token attends to most, as i-j pairs."
                    + " Default: ${DEFAULT-VALUE}.")
    String format;

    @Mixin
    KernelOptions kernels;

    @Option(names = "--alignments", paramLabel = "DIR",
            description = "For a model with attention: write one PNG heat-map per input sentence into DIR (created if"
                    + " missing), named by its position in the input: 0001.png, 0002.png, ...")
    Path alignments;

    /** Sentences translated so far: the number of the next picture. */
    private int translated;

    @Option(names = "--attention-weights", description = "With --format jsonl and a model with attention, add each"
            + " output's attention matrix (one row per output token, one weight per source token).")
    boolean attentionWeights;

    @Override
    public Integer call() throws IOException, DataException {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        }
        if (!format.equals("text") && !format.equals("jsonl")) {
            throw new IllegalArgumentException("--format must be text or jsonl, got '" + format + "'");
        }
        decode.check();
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
    private Translator translator() throws IOException, DataException {
        kernels.start();
        ModelFile.Loaded loaded = ModelFile.load(trained.model);
        if (alignments != null) {
            if (!loaded.model().attends()) {
                throw new DataException(trained.model + ": has no attention, so there is nothing to draw for"
                        + " --alignments (train with --attention)");
            }
            try {
                Files.createDirectories(alignments);
            } catch (IOException e) {
                throw new DataException(alignments + ": cannot be made a folder for --alignments ("
                        + AtomicFile.reason(e) + ")");
            }
        }
        return new Translator(loaded.model(), decode.options(loaded.model()), batch);
    }

    /** Arguments are for people: each is shown with its translation. */
    private void translateArguments(Translator translator) throws DataException {
        List<String> input = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            input.add(withinLimit(sentences.get(i), "argument " + (i + 1)));
        }
        List<List<Translator.Translation>> output = translator.translateNBest(input, System.err);
        draw(input, output);
        for (int i = 0; i < input.size(); i++) {
            if (format.equals("jsonl")) {
                System.out.println(jsonLine(input.get(i), output.get(i), attentionWeights));
                continue;
            }
            List<Translator.Translation> nBest = output.get(i);
            System.out.println(sentences.get(i) + "  ->  " + nBest.get(0).text());
            for (int k = 1; k < nBest.size(); k++) {
                System.out.printf(Locale.ROOT, "%s  %d. %s  (%.3f)%n", " ".repeat(sentences.get(i).length()), k + 1,
                        nBest.get(k).text(), nBest.get(k).score());
            }
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
                print(out, pending, translator.translateNBest(pending, System.err));
                pending.clear();
            }
        }
        print(out, pending, translator.translateNBest(pending, System.err));
        return count;
    }

    /** With --alignments, the best translation of each sentence as a heat-map, numbered in input order. */
    private void draw(List<String> sources, List<List<Translator.Translation>> translations) throws DataException {
        for (int i = 0; i < sources.size(); i++) {
            translated++;
            Translator.Translation best = translations.get(i).get(0);
            if (alignments == null || best.attention() == null || best.outputTokens().isEmpty()) {
                continue;
            }
            Path file = alignments.resolve(String.format(Locale.ROOT, "%04d.png", translated));
            try {
                AlignmentPicture.write(file, sources.get(i).strip() + "  ->  " + best.text(), best.sourceTokens(),
                        best.outputTokens(), best.attention());
            } catch (IOException e) {
                throw new DataException(file + ": cannot be written (" + AtomicFile.reason(e) + ")");
            }
        }
    }

    private void print(PrintStream out, List<String> sources, List<List<Translator.Translation>> translations)
            throws DataException {
        draw(sources, translations);
        for (int i = 0; i < sources.size(); i++) {
            if (format.equals("jsonl")) {
                out.println(jsonLine(sources.get(i), translations.get(i), attentionWeights));
            } else {
                translations.get(i).forEach(translation -> out.println(translation.text()));
            }
        }
        out.flush();
    }

    /** {"src": ..., "n_best": [{"tgt": ..., "score": ...}, ...]}: what a client of a translation service reads. */
    static String jsonLine(String source, List<Translator.Translation> nBest, boolean withWeights) {
        JsonObject line = new JsonObject();
        line.addProperty("src", source);
        JsonArray outputs = new JsonArray();
        for (Translator.Translation translation : nBest) {
            JsonObject output = new JsonObject();
            output.addProperty("tgt", translation.text());
            output.addProperty("score", translation.score());
            if (translation.attention() != null) {
                output.addProperty("align", translation.alignment());
                if (withWeights) {
                    JsonArray rows = new JsonArray();
                    for (float[] row : translation.attention()) {
                        JsonArray weights = new JsonArray();
                        for (float weight : row) {
                            weights.add(Math.round(weight * 1e4) / 1e4);
                        }
                        rows.add(weights);
                    }
                    output.add("attention", rows);
                }
            }
            outputs.add(output);
        }
        line.add("n_best", outputs);
        return JSON.toJson(line);
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
