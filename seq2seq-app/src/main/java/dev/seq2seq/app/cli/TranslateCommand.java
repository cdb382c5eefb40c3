package dev.seq2seq.app.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.seq2seq.app.plot.AlignmentPicture;
import dev.seq2seq.nn.io.AtomicFile;
import dev.seq2seq.nn.io.CheckpointException;
import dev.seq2seq.translator.data.DataException;
import dev.seq2seq.translator.data.Limits;
import dev.seq2seq.translator.data.TextLines;
import dev.seq2seq.translator.decode.BatchTranslator;
import dev.seq2seq.translator.decode.Translation;
import dev.seq2seq.translator.decode.TranslationJson;
import dev.seq2seq.translator.model.ModelFile;
import dev.seq2seq.translator.model.Seq2SeqModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
                "  seq2seq translate --file sentences.txt --output french.txt",
                "", Main.EXIT_CODES})
final class TranslateCommand implements Callable<Integer> {
    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().create();
    /**
     * How many batches of lines at hand are read before translating: the translator cuts batches in
     * order of length within them, so that a batch's sentences pad to about one length and end
     * about together, as Marian's maxi-batches and fairseq's sorted inputs do; more lines would
     * only hold back the first outputs.
     */
    static final int READ_AHEAD_BATCHES = 16;
    /** The most lines read ahead whatever --batch is, beyond one batch: their outputs are held in memory. */
    static final int READ_AHEAD_MAX_LINES = 4096;

    @Parameters(paramLabel = "SENTENCE", arity = "0..*", description = "Sentences to translate.")
    List<String> sentences = new ArrayList<>();

    @Mixin
    ModelOption trained;

    @Option(names = "--file", paramLabel = "FILE", description = "Read sentences from FILE, one per line (UTF-8).")
    Path file;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "64",
            description = "Sentences decoded together, cut in order of length from the lines at hand"
                    + " (up to 16 batches of them, at most 4,096 lines). Default: ${DEFAULT-VALUE}.")
    int batch;

    @Mixin
    DecodeOption decode;

    @Mixin
    WeightsOption weights;

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

    @Option(names = "--output", paramLabel = "FILE", description = "Write the translations to FILE instead of"
            + " standard output: all of them or nothing (the file appears when the last line is translated). FILE"
            + " must not exist yet, unless --overwrite.")
    Path output;

    @Option(names = "--overwrite", description = "Replace --output if it exists.")
    boolean overwrite;

    /** Made by {@link #translator()} on first need. */
    private BatchTranslator translator;

    /** Where translations go: standard output, or the temporary file that becomes --output. */
    private PrintStream out = System.out;

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
        if (output != null) {
            if (Files.isDirectory(output)) {
                throw new DataException(output + ": is a folder; --output names the file to write");
            }
            if (Files.exists(output, LinkOption.NOFOLLOW_LINKS) && !overwrite) {
                throw new DataException(output + ": exists; give --overwrite to replace it");
            }
            if (file != null && !Files.exists(file)) {
                throw new DataException(file + ": no such file");
            }
            translator(); // a damaged model is refused before the output file is begun
            try {
                AtomicFile.write(output, stream -> {
                    out = new PrintStream(stream, false, StandardCharsets.UTF_8);
                    try {
                        translateInput();
                    } catch (DataException e) {
                        throw new Refused(e);
                    }
                    out.flush();
                    if (out.checkError()) { // a PrintStream keeps write errors to itself until asked
                        throw new IOException("a write failed");
                    }
                });
            } catch (Refused e) {
                throw e.reason;
            } catch (CheckpointException e) {
                throw e;
            } catch (IOException e) {
                throw new DataException(output + ": cannot be written (" + AtomicFile.reason(e) + ")");
            } finally {
                out = System.out;
            }
            return 0;
        }
        translateInput();
        return 0;
    }

    /** Translates the arguments, --file or standard input onto {@link #out}. */
    private void translateInput() throws IOException, DataException {
        if (!sentences.isEmpty()) {
            translateArguments(translator());
            return;
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
    }

    /** A refusal raised while --output is being written: the file is not made, and the reason is reported. */
    private static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;
        final transient DataException reason;

        Refused(DataException reason) {
            super(reason.getMessage());
            this.reason = reason;
        }
    }

    /** The model, loaded once, after the input is known to be there. */
    private BatchTranslator translator() throws IOException, DataException {
        if (translator != null) {
            return translator;
        }
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
        Seq2SeqModel model = weights.apply(loaded.model());
        translator = new BatchTranslator(model, decode.options(model), batch);
        return translator;
    }

    /** Arguments are for people: each is shown with its translation. */
    private void translateArguments(BatchTranslator translator) throws DataException {
        List<String> input = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            input.add(withinLimit(sentences.get(i), "argument " + (i + 1)));
        }
        List<List<Translation>> output = translator.translateNBest(input, System.err);
        draw(input, output);
        for (int i = 0; i < input.size(); i++) {
            if (format.equals("jsonl")) {
                out.println(jsonLine(input.get(i), output.get(i), attentionWeights));
                continue;
            }
            List<Translation> nBest = output.get(i);
            out.println(sentences.get(i) + "  ->  " + nBest.get(0).text());
            for (int k = 1; k < nBest.size(); k++) {
                out.printf(Locale.ROOT, "%s  %d. %s  (%.3f)%n", " ".repeat(sentences.get(i).length()), k + 1,
                        nBest.get(k).text(), nBest.get(k).score());
            }
        }
    }

    /**
     * Translates the lines as they come: the lines that can be read without waiting, up to
     * {@link #readAhead} of them, are translated together, so a pipe that sends one
     * line and waits gets its answer, and a file's lines are cut into batches of about one length
     * (the translator orders them by length within what it is given). Returns the lines read.
     */
    private int stream(TextLines lines, BatchTranslator translator) throws IOException, DataException {
        int count = 0;
        List<String> pending = new ArrayList<>();
        for (String line = lines.next(); line != null; line = lines.next()) {
            count++;
            if (line.isBlank()) {
                System.err.println("warning: line " + lines.lineNumber() + " is empty; its translation is empty");
            }
            pending.add(withinLimit(line, "line " + lines.lineNumber()));
            if (pending.size() >= readAhead(batch) || !lines.ready()) {
                print(pending, translator.translateNBest(pending, System.err));
                pending.clear();
            }
        }
        print(pending, translator.translateNBest(pending, System.err));
        return count;
    }

    /** Lines translated together when they are at hand: {@link #READ_AHEAD_BATCHES} batches, within bounds. */
    static int readAhead(int batch) {
        return (int) Math.max(batch, Math.min((long) batch * READ_AHEAD_BATCHES, READ_AHEAD_MAX_LINES));
    }

    /** With --alignments, the best translation of each sentence as a heat-map, numbered in input order. */
    private void draw(List<String> sources, List<List<Translation>> translations) throws DataException {
        for (int i = 0; i < sources.size(); i++) {
            translated++;
            Translation best = translations.get(i).get(0);
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

    private void print(List<String> sources, List<List<Translation>> translations)
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

    /** One line of --format jsonl: see {@link TranslationJson}. */
    static String jsonLine(String source, List<Translation> nBest, boolean withWeights) {
        return JSON.toJson(TranslationJson.of(source, nBest, withWeights));
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
