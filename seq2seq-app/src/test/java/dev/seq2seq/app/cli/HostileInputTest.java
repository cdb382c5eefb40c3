package dev.seq2seq.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.seq2seq.engine.Tensor;
import dev.seq2seq.nn.io.SafeTensors;
import dev.seq2seq.translator.train.RunFiles;
import dev.seq2seq.translator.train.RunLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program against a hostile user and a careless one: planted links, two runs on one model,
 * crafted checkpoints, changed data, absurd options, binary input. Each answer is a clear message
 * and exit code 2, with nothing already saved lost.
 */
class HostileInputTest {
    private static final String[][] PAIRS = {{"Go.", "Va !"}, {"Hi.", "Salut !"}, {"Run!", "Cours !"},
        {"Who?", "Qui ?"}, {"Wow!", "Ça alors !"}, {"Fire!", "Au feu !"}, {"Help!", "À l'aide !"},
        {"Jump.", "Saute."}, {"Stop!", "Ça suffit !"}, {"Wait!", "Attends !"}};

    @TempDir
    static Path shared;
    static Path data;
    static Path trained;

    @TempDir
    Path folder;

    private static String pairsText() {
        StringBuilder text = new StringBuilder();
        for (String[] pair : PAIRS) {
            text.append(pair[0]).append('\t').append(pair[1]).append('\n');
        }
        return text.toString();
    }

    /** A tiny, quick run; {@code more} adds options or replaces the value of one already there. */
    private static String[] trainArgs(Path data, Path model, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--epochs", "2", "--latent",
                "16", "--batch", "4", "--model", model.toString(), "--sample-every", "0", "--threads", "1", "-q"));
        for (int i = 0; i < more.length; i++) {
            int at = args.indexOf(more[i]);
            boolean hasValue = i + 1 < more.length && !more[i + 1].startsWith("--");
            if (at >= 0 && hasValue) {
                args.set(at + 1, more[++i]);
            } else {
                args.add(more[i]);
                if (hasValue) {
                    args.add(more[++i]);
                }
            }
        }
        return args.toArray(new String[0]);
    }

    @BeforeAll
    static void trainOnce() throws Exception {
        data = shared.resolve("pairs.txt");
        Files.writeString(data, pairsText(), StandardCharsets.UTF_8);
        trained = shared.resolve("model.safetensors");
        Cli.run(trainArgs(data, trained)).assertSuccess();
    }

    /** A copy of the trained checkpoint with its metadata changed by {@code edit} (the JSON of one entry). */
    private Path crafted(String name, String entry, Consumer<JsonObject> edit) throws Exception {
        SafeTensors.Contents contents = SafeTensors.read(trained);
        Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
        JsonObject json = JsonParser.parseString(metadata.get(entry)).getAsJsonObject();
        edit.accept(json);
        metadata.put(entry, json.toString());
        Path file = folder.resolve(name);
        SafeTensors.write(file, metadata, contents.tensors().values());
        return file;
    }

    @Test
    void aLinkPlantedAtAnOldTemporaryNameIsNeverWrittenThrough() throws Exception {
        Path victim = folder.resolve("victim.txt");
        Files.writeString(victim, "precious");
        Path model = folder.resolve("m.safetensors");
        for (String planted : List.of("m.loss.png.tmp", "m.safetensors.tmp", "m.best.safetensors.tmp",
                "m.history.csv.tmp")) {
            Files.createSymbolicLink(folder.resolve(planted), victim);
        }
        Cli.run(trainArgs(data, model)).assertSuccess();
        assertEquals("precious", Files.readString(victim));
        RunFiles files = new RunFiles(model);
        for (Path written : files.written()) {
            assertTrue(Files.isRegularFile(written, java.nio.file.LinkOption.NOFOLLOW_LINKS), written + " written");
        }
        Files.writeString(folder.resolve("m.safetensors.123.abc.tmp"), "left by a killed run");
        Cli.run(trainArgs(data, model, "--resume", "--epochs", "3")).assertSuccess();
        assertFalse(Files.exists(folder.resolve("m.safetensors.123.abc.tmp")), "a stale temporary file is swept");
    }

    @Test
    void aSecondRunOnTheSameModelIsRefusedNamingTheHolder() throws Exception {
        Path model = folder.resolve("busy.safetensors");
        try (RunLock held = RunLock.acquire(new RunFiles(model))) {
            Cli.run(trainArgs(data, model)).assertUserError("another training run is writing it (process "
                    + ProcessHandle.current().pid());
        }
        assertFalse(Files.exists(model));
        Cli.run(trainArgs(data, model)).assertSuccess();
    }

    @Test
    void theSameDataAndSeedGiveTheSameCheckpointByteForByte() throws Exception {
        Path first = Files.createDirectory(folder.resolve("one")).resolve("model.safetensors");
        Path second = Files.createDirectory(folder.resolve("two")).resolve("model.safetensors");
        Cli.run(trainArgs(data, first)).assertSuccess();
        Cli.run(trainArgs(data, second)).assertSuccess();
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        assertArrayEquals(Files.readAllBytes(new RunFiles(first).best()), Files.readAllBytes(new RunFiles(second).best()));
        List<String> history = Files.readAllLines(new RunFiles(first).history());
        assertEquals("epoch,loss,val_loss,val_accuracy,seconds", history.get(0));
        assertEquals(3, history.size(), "a header and one line per epoch: " + history);
        assertTrue(Files.size(new RunFiles(first).best()) < 0.6 * Files.size(first),
                "the best checkpoint carries no optimiser state");
    }

    @Test
    void evaluateAndResumeRefuseDataWhoseContentChanged() throws Exception {
        Path copyOfData = folder.resolve("pairs.txt");
        Files.writeString(copyOfData, pairsText(), StandardCharsets.UTF_8);
        Path model = folder.resolve("m.safetensors");
        Cli.run(trainArgs(copyOfData, model)).assertSuccess();
        Cli.run("evaluate", "--model", model.toString(), "-q").assertSuccess();
        Files.writeString(copyOfData, pairsText().replace("Va !", "Allez !"), StandardCharsets.UTF_8);
        Cli.run("evaluate", "--model", model.toString(), "-q").assertUserError(model + " was trained on "
                + copyOfData.toAbsolutePath() + ", but " + copyOfData.toAbsolutePath() + " has other content");
        Cli.run(trainArgs(copyOfData, model, "--resume", "--epochs", "3")).assertUserError("has other content");
        // The same content elsewhere is accepted (the file moved).
        Cli.run("train", "--model", model.toString(), "--resume", "--epochs", "3", "--data", data.toString(), "-q",
                "--sample-every", "0").assertSuccess();
    }

    @Test
    void aCheckpointCannotBeMadeToShowAnotherFile() throws Exception {
        Path secret = folder.resolve("secret.txt");
        Files.writeString(secret, "password\thunter2\n");
        Path file = crafted("pointing.safetensors", "training", training -> training.getAsJsonObject("settings")
                .addProperty("data", secret.toString()));
        Cli.Run run = Cli.run("evaluate", "--model", file.toString(), "--show", "5", "-q");
        run.assertUserError("has other content");
        assertFalse(run.out().contains("hunter2") || run.err().contains("hunter2"));
    }

    @Test
    void everyDamagedFieldOfACheckpointIsNamed() throws Exception {
        Map<String, Consumer<JsonObject>> config = new LinkedHashMap<>();
        config.put("config.cell is 'rnn'; expected one of [lstm, gru]", c -> c.addProperty("cell", "rnn"));
        config.put("config.latent is -1", c -> c.addProperty("latent", -1));
        config.put("config.targetTokens is missing", c -> c.remove("targetTokens"));
        config.put("config.maxTargetLength is -3", c -> c.addProperty("maxTargetLength", -3));
        config.put("config.maxTargetLength is 2147483647", c -> c.addProperty("maxTargetLength", Integer.MAX_VALUE));
        config.put("config.latent is 1.5, not a whole number", c -> c.addProperty("latent", 1.5));
        config.put("parameters, which needs about", c -> c.addProperty("latent", 1_000_000));
        config.put("config.sourceMerges holds merges, but config.level is char", c -> {
            JsonArray merges = new JsonArray();
            merges.add("e s");
            c.add("sourceMerges", merges);
        });
        config.put("config.targetMerges is missing (config.level is bpe)", c -> {
            c.addProperty("level", "bpe");
            c.add("sourceMerges", new JsonArray());
            c.remove("targetMerges");
        });
        config.put("config.sourceMerges: a merge is two symbols separated by one space, got 'es'", c -> {
            JsonArray merges = new JsonArray();
            merges.add("es");
            c.addProperty("level", "bpe");
            c.add("sourceMerges", merges);
        });
        int i = 0;
        for (Map.Entry<String, Consumer<JsonObject>> damage : config.entrySet()) {
            Path file = crafted("config" + i++ + ".safetensors", "config", damage.getValue());
            Cli.run("translate", "--model", file.toString(), "Go.", "-q").assertUserError(damage.getKey());
        }
        Map<String, Consumer<JsonObject>> training = new LinkedHashMap<>();
        training.put("training.batchesDone is -5", t -> t.addProperty("batchesDone", -5));
        training.put("training.epochsDone is -1", t -> t.addProperty("epochsDone", -1));
        training.put("training.settings.validationSplit is 5.0", t -> t.getAsJsonObject("settings")
                .addProperty("validationSplit", 5));
        training.put("training.settings.data is missing", t -> t.getAsJsonObject("settings").remove("data"));
        training.put("training.settings.testFraction is 1.5", t -> t.getAsJsonObject("settings")
                .addProperty("testFraction", 1.5));
        training.put("training.settings.validationBy is 'random'", t -> t.getAsJsonObject("settings")
                .addProperty("validationBy", "random"));
        training.put("training.settings.lrDecay is 2.0", t -> t.getAsJsonObject("settings").addProperty("lrDecay", 2));
        training.put("training.settings.labelSmoothing is 1.0", t -> t.getAsJsonObject("settings")
                .addProperty("labelSmoothing", 1));
        training.put("testFraction and validationSplit leave nothing to train on", t -> t.getAsJsonObject("settings")
                .addProperty("testFraction", 0.9));
        for (Map.Entry<String, Consumer<JsonObject>> damage : training.entrySet()) {
            Path file = crafted("training" + i++ + ".safetensors", "training", damage.getValue());
            Cli.run("evaluate", "--model", file.toString(), "-q").assertUserError(damage.getKey());
        }
    }

    @Test
    void aCheckpointFromBeforeTestSplitsEvaluatesOnItsValidationPairs() throws Exception {
        Path file = crafted("old.safetensors", "training", t -> {
            t.getAsJsonObject("settings").remove("testFraction");
            t.getAsJsonObject("settings").remove("validationBy");
        });
        Cli.Run old = Cli.run("evaluate", "--model", file.toString(), "--beam", "1", "-q");
        old.assertSuccess();
        Cli.Run current = Cli.run("evaluate", "--model", trained.toString(), "--beam", "1", "-q");
        assertEquals(current.out(), old.out());
        assertTrue(old.out().contains("validation pairs"), old.out());
        Cli.run("evaluate", "--model", file.toString(), "--split", "test", "-q").assertUserError("set no test pairs aside");
    }

    @Test
    void aCheckpointFromBeforeAttentionTranslatesTheSame() throws Exception {
        Path file = crafted("no-attention-field.safetensors", "config", c -> c.remove("attention"));
        Cli.Run old = Cli.run("translate", "--model", file.toString(), "Go.", "Hi.", "-q");
        old.assertSuccess();
        Cli.Run current = Cli.run("translate", "--model", trained.toString(), "Go.", "Hi.", "-q");
        assertEquals(current.out(), old.out());
        Path wrong = crafted("bad-attention.safetensors", "config", c -> c.addProperty("attention", "sideways"));
        Cli.run("translate", "--model", wrong.toString(), "Go.", "-q").assertUserError("config.attention is 'sideways'");
    }

    @Test
    void weightsThatAreNotFiniteAreRefused() throws Exception {
        SafeTensors.Contents contents = SafeTensors.read(trained);
        Tensor kernel = contents.tensors().get("decoder/dense/kernel");
        kernel.data()[kernel.offset() + 3] = Float.POSITIVE_INFINITY;
        Path file = folder.resolve("infinite.safetensors");
        SafeTensors.write(file, contents.metadata(), contents.tensors().values());
        Cli.run("translate", "--model", file.toString(), "Go.", "-q")
                .assertUserError("tensor decoder/dense/kernel holds Infinity at element 3");
    }

    @Test
    void resumeRefusesOptionsThatContradictTheRunAndSaysWhenNothingIsLeft() throws Exception {
        Path model = folder.resolve("m.safetensors");
        Files.copy(trained, model);
        Cli.run("train", "--model", model.toString(), "--resume", "--latent", "64", "-q")
                .assertUserError("--latent 64 conflicts with the run saved in " + model + ", which has 16");
        Cli.run("train", "--model", model.toString(), "--resume", "--cell", "gru", "-q")
                .assertUserError("--cell gru conflicts");
        Cli.run("train", "--model", model.toString(), "--resume", "--lr", "0.5", "-q")
                .assertUserError("--lr 0.5 conflicts");
        Cli.run("train", "--model", model.toString(), "--resume", "--lr-decay", "0.5", "-q")
                .assertUserError("--lr-decay 0.5 conflicts");
        Cli.run("train", "--model", model.toString(), "--resume", "--label-smoothing", "0.1", "-q")
                .assertUserError("--label-smoothing 0.1 conflicts");
        Cli.run("train", "--model", model.toString(), "--resume", "--lr-schedule", "linear", "-q")
                .assertUserError("--lr-schedule linear conflicts");
        Cli.run("train", "--model", model.toString(), "--resume", "--optimizer", "adam", "-q")
                .assertUserError("--optimizer adam conflicts");
        Cli.run("train", "--model", model.toString(), "--resume", "--num-samples", "5", "-q")
                .assertUserError("--num-samples 5 conflicts");
        Cli.run("train", "--model", model.toString(), "--resume", "--batch", "8", "-q")
                .assertUserError("--batch 8 conflicts");
        Cli.Run done = Cli.run("train", "--model", model.toString(), "--resume", "--latent", "16", "-q");
        done.assertSuccess();
        assertTrue(done.out().contains("has trained 2 epochs already, and 2 were asked for: nothing to do"), done.out());
        assertFalse(done.out().contains("warm-up"), done.out());
        Cli.run("train", "--model", new RunFiles(trained).best().toString(), "--resume", "--epochs", "3", "-q")
                .assertUserError("holds no optimiser state");
        Path none = folder.resolve("none.safetensors");
        Cli.run("train", "--model", none.toString(), "--resume", "-q")
                .assertUserError(none + ": no such file; there is no run to resume");
        assertFalse(Files.exists(new RunFiles(none).lock()), "nothing written for a run that cannot start");
    }

    @Test
    void emptyTrainingOrValidationSetsAreRefusedWithTheCounts() throws Exception {
        Cli.run(trainArgs(data, folder.resolve("a.safetensors"), "--validation-split", "0.999"))
                .assertUserError("10 pairs with --validation-split 0.999 leave 0 for training and 10 for validation");
        Path one = folder.resolve("one.txt");
        Files.writeString(one, "Go.\tVa !\n");
        Cli.run(trainArgs(one, folder.resolve("b.safetensors")))
                .assertUserError("1 pair with --validation-split 0.2 leave 1 for training and 0 for validation");
        Cli.run(trainArgs(one, folder.resolve("c.safetensors"), "--validation-split", "0")).assertSuccess();
    }

    @Test
    void absurdResourcesAreRefusedBeforeAnythingIsAllocated() throws Exception {
        Cli.run(trainArgs(data, folder.resolve("t.safetensors"), "--threads", "100000000"))
                .assertUserError("--threads is 100000000; at most");
        Cli.run(trainArgs(data, folder.resolve("l.safetensors"), "--latent", "100000"))
                .assertUserError("--latent 100000: a model of latent size 100000 has");
        Cli.run("translate", "--model", trained.toString(), "--max-length", "100000", "Go.")
                .assertUserError("--max-length must be from 1 to 1000");
        if (Files.isReadable(Path.of("/dev/zero"))) {
            Cli.run(trainArgs(Path.of("/dev/zero"), folder.resolve("z.safetensors")))
                    .assertUserError("/dev/zero: not a text file");
            Cli.run("translate", "--model", trained.toString(), "--file", "/dev/zero", "-q")
                    .assertUserError("/dev/zero: not a text file");
        }
        try (Stream<Path> left = Files.list(folder)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".safetensors")),
                    "nothing saved by a refused run");
        }
    }

    @Test
    void anOverlongSentenceIsSkippedWhenReadAndTrainingGoesOn() throws Exception {
        Path long5000 = folder.resolve("long.txt");
        Files.writeString(long5000, pairsText() + "x".repeat(5000) + "\ty\n", StandardCharsets.UTF_8);
        Cli.Run run = Cli.run(trainArgs(long5000, folder.resolve("m.safetensors"), "--sample-every", "1"));
        run.assertSuccess();
        assertTrue(run.err().contains("skipped 1 line of " + long5000 + " (a sentence longer than 1000 characters;"
                + " line 11)"), run.err());
        Cli.Run translated = Cli.runWithInput("Go.\n" + "y".repeat(5000) + "\nHi.\n", "translate", "--model",
                folder.resolve("m.safetensors").toString(), "-q");
        translated.assertSuccess();
        assertEquals(3, translated.out().split("\n", -1).length - 1, "one line out per line in: " + translated.out());
        assertTrue(translated.err().contains("line 2 has 5000 characters, more than the limit of 1000"),
                translated.err());
    }

    @Test
    void standardInputAndFilesAreReadTheSameWay() throws Exception {
        byte[] latin1 = "Go.\nCaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        Path file = folder.resolve("latin1.txt");
        Files.write(file, latin1);
        Cli.run("translate", "--model", trained.toString(), "--file", file.toString(), "-q")
                .assertUserError(file + ": line 2 is not UTF-8 text (an invalid byte at column 4)");
        Cli.runWithInput(latin1, "translate", "--model", trained.toString(), "-q")
                .assertUserError("standard input: line 2 is not UTF-8 text (an invalid byte at column 4)");
        Cli.Run bom = Cli.runWithInput("\uFEFFGo.\n", "translate", "--model", trained.toString(), "-q");
        bom.assertSuccess();
        assertFalse(bom.err().contains("U+FEFF"), "the byte-order mark is not read as a character: " + bom.err());
    }

    @Test
    void translateAnswersEachLineOfAPipeBeforeTheNextArrives() throws Exception {
        java.io.PipedOutputStream feed = new java.io.PipedOutputStream();
        java.io.PipedInputStream stdin = new java.io.PipedInputStream(feed);
        java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = System.out;
        java.io.InputStream in = System.in;
        System.setOut(new java.io.PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setIn(stdin);
        try {
            Thread translating = new Thread(() -> Main.run("translate", "--model", trained.toString(), "-q"));
            translating.start();
            feed.write("Go.\n".getBytes(StandardCharsets.UTF_8));
            feed.flush();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!stdout.toString(StandardCharsets.UTF_8).contains("\n") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, stdout.toString(StandardCharsets.UTF_8).split("\n", -1).length - 1,
                    "the first line is answered while standard input is still open");
            feed.write("Hi.\n".getBytes(StandardCharsets.UTF_8));
            feed.close();
            translating.join(60_000);
            assertFalse(translating.isAlive());
            assertEquals(2, stdout.toString(StandardCharsets.UTF_8).split("\n", -1).length - 1, stdout.toString());
        } finally {
            System.setOut(out);
            System.setIn(in);
        }
    }

    @Test
    void messagesNameTheUsersPathAndTheReason() throws Exception {
        Cli.run(trainArgs(data, folder)).assertUserError(folder + ": is a folder; --model names the checkpoint file");
        Path aFile = folder.resolve("plain-file");
        Files.writeString(aFile, "x");
        Cli.run(trainArgs(data, aFile.resolve("m.safetensors"))).assertUserError(aFile.resolve("m.safetensors")
                + ": its folder cannot be created (");
    }

    @Test
    void exportWritesAWeightsOnlyCopyThatTranslatesTheSame() throws Exception {
        Path weights = folder.resolve("weights.safetensors");
        Cli.run("export", "--model", trained.toString(), "--output", weights.toString(), "--weights-only")
                .assertSuccess();
        Map<String, String> metadata = SafeTensors.readMetadata(weights);
        assertFalse(metadata.containsKey("training"), metadata.keySet().toString());
        assertEquals("none", metadata.get("optimizer"));
        assertTrue(metadata.get("vocabulary").contains("\"pad\":0"), metadata.get("vocabulary"));
        assertTrue(Files.size(weights) < 0.6 * Files.size(trained));
        Cli.Run original = Cli.run("translate", "--model", trained.toString(), "-q", "Go.", "Help!", "Who?");
        Cli.Run exported = Cli.run("translate", "--model", weights.toString(), "-q", "Go.", "Help!", "Who?");
        assertEquals(original.out(), exported.out());
        Cli.run("export", "--model", trained.toString(), "--output", weights.toString())
                .assertUserError("already exists");
        Cli.run("train", "--model", weights.toString(), "--resume", "-q").assertUserError("holds no training state");
    }

    @Test
    void versionAndQuiet() {
        Cli.Run version = Cli.run("train", "--version");
        version.assertSuccess();
        assertTrue(version.out().startsWith("seq2seq-java " + Version.number()), version.out());
        assertFalse(Version.number().equals("unknown"), "the version comes from the POM");
        Cli.Run quiet = Cli.run("translate", "--model", trained.toString(), "-q", "Go.");
        quiet.assertSuccess();
        assertFalse(quiet.err().contains("kernels:"), quiet.err());
        Cli.Run loud = Cli.run("translate", "--model", trained.toString(), "Go.");
        assertTrue(loud.err().contains("[seq2seq] kernels:"), loud.err());
        Cli.Run verbose = Cli.run("translate", "--model", folder.resolve("absent").toString(), "-v", "Go.");
        assertEquals(Main.USER_ERROR, verbose.code());
        assertTrue(verbose.err().contains("[seq2seq] JVM: ") && verbose.err().contains("max heap"), verbose.err());
        assertTrue(verbose.err().contains("\tat dev.seq2seq."), "--verbose shows the stack trace: " + verbose.err());
        Cli.Run both = Cli.run("translate", "--model", trained.toString(), "-q", "-v", "Go.");
        assertEquals(Main.USER_ERROR, both.code());
        assertTrue(both.err().startsWith("error: --quiet and --verbose contradict each other"), both.err());
        Cli.run("translate", "--model", folder.resolve("absent").toString(), "Go.").assertUserError("no such file");
    }
}
