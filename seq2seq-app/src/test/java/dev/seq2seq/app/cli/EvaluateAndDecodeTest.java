package dev.seq2seq.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * evaluate and translate with a test split, several references per source, beam search and their
 * outputs: one model trained once on a file where sources repeat with different translations.
 */
class EvaluateAndDecodeTest {
    private static final String[][] PAIRS = {{"Go.", "Va !"}, {"Go.", "Marche."}, {"Go.", "Bouge !"},
        {"Hi.", "Salut !"}, {"Hi.", "Salut."}, {"Run!", "Cours !"}, {"Run!", "Courez !"}, {"Who?", "Qui ?"},
        {"Wow!", "Ça alors !"}, {"Fire!", "Au feu !"}, {"Help!", "À l'aide !"}, {"Jump.", "Saute."},
        {"Stop!", "Ça suffit !"}, {"Stop!", "Stop !"}, {"Wait!", "Attends !"}, {"Wait!", "Attendez !"},
        {"Hello!", "Bonjour !"}, {"I see.", "Je comprends."}, {"I try.", "J'essaye."}, {"I won!", "J'ai gagné !"},
        {"Oh no!", "Oh non !"}, {"Relax.", "Détends-toi."}, {"Smile.", "Souriez."}, {"Attack!", "Attaque !"}};

    @TempDir
    static Path shared;
    static Path data;
    static Path model;

    @TempDir
    Path folder;

    @BeforeAll
    static void trainWithATestSplit() throws Exception {
        data = shared.resolve("pairs.txt");
        StringBuilder text = new StringBuilder();
        for (String[] pair : PAIRS) {
            text.append(pair[0]).append('\t').append(pair[1]).append('\n');
        }
        Files.writeString(data, text.toString(), StandardCharsets.UTF_8);
        model = shared.resolve("model.safetensors");
        Cli.Run train = Cli.run("train", "--data", data.toString(), "--num-samples", "0", "--epochs", "30",
                "--latent", "32", "--batch", "8", "--lr", "0.01", "--model", model.toString(), "--sample-every", "0",
                "--threads", "1", "--test-fraction", "0.25", "--validation-by", "source", "--validation-split", "0.2");
        train.assertSuccess();
        assertTrue(train.out().contains("test pairs"), train.out());
    }

    @Test
    void evaluateScoresTheTestSourcesAgainstAllTheirReferences() throws Exception {
        Path output = folder.resolve("scores.jsonl");
        Cli.Run run = Cli.run("evaluate", "--model", model.toString(), "--metrics", "bleu,chrf,chrf++",
                "--output", output.toString(), "--show", "2", "-q");
        run.assertSuccess();
        String out = run.out();
        assertTrue(out.contains(" test pairs of ") && out.contains("distinct sources"), out);
        assertTrue(out.contains("\nBLEU = ") && out.contains("tok:13a|smooth:exp"), out);
        assertTrue(out.contains("\nchrF2 = ") && out.contains("\nchrF2++ = ") && out.contains("nc:6|nw:2"), out);
        assertTrue(out.contains("chrF2 by source length:  1-10: "), out);
        assertTrue(out.contains("beam 5, length penalty avg"), out);

        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        int sources = Integer.parseInt(out.replaceAll("(?s).*: (\\d+) distinct sources.*", "$1"));
        assertEquals(sources, lines.size(), "one line per distinct source");
        Set<String> seen = new HashSet<>();
        for (String line : lines) {
            JsonObject object = JsonParser.parseString(line).getAsJsonObject();
            assertTrue(seen.add(object.get("src").getAsString()), "each source once");
            assertTrue(object.getAsJsonArray("refs").size() >= 1);
            assertTrue(object.has("tgt") && object.get("score").getAsDouble() <= 0, line);
            double chrF = object.get("chrf").getAsDouble();
            assertTrue(chrF >= 0 && chrF <= 100, line);
        }

        Cli.run("evaluate", "--model", model.toString(), "--output", output.toString(), "-q")
                .assertUserError("exists; give --overwrite");
        Cli.run("evaluate", "--model", model.toString(), "--split", "validation", "--beam", "1", "-q").assertSuccess();
    }

    @Test
    void theTestSourcesWereNeitherTrainedNorValidatedOn() throws Exception {
        Cli.Run test = Cli.run("evaluate", "--model", model.toString(), "--show", "100", "--beam", "1", "-q");
        Cli.Run validation = Cli.run("evaluate", "--model", model.toString(), "--split", "validation", "--show",
                "100", "--beam", "1", "-q");
        test.assertSuccess();
        validation.assertSuccess();
        Set<String> testSources = shownSources(test.out());
        Set<String> validationSources = shownSources(validation.out());
        assertTrue(!testSources.isEmpty() && !validationSources.isEmpty());
        for (String source : testSources) {
            assertTrue(!validationSources.contains(source), source + " is in both the test and validation sets");
        }
        // "Go." has three references: whichever set holds it shows all three
        String all = test.out() + validation.out();
        if (all.contains("  > Go.\n")) {
            assertTrue(all.contains("Va !  |  Marche.  |  Bouge !"), all);
        }
    }

    @Test
    void evaluateOnOnePairSaysSoInTheSingular() throws Exception {
        Path one = folder.resolve("one.txt");
        Files.writeString(one, "Go.\tVa !\n", StandardCharsets.UTF_8);
        Cli.Run run = Cli.run("evaluate", "--model", model.toString(), "--data", one.toString(), "--beam", "1", "-q");
        run.assertSuccess();
        assertTrue(run.out().contains("evaluated on 1 pair of " + one + ": 1 distinct source, 1 reference; "),
                run.out());
    }

    private static Set<String> shownSources(String out) {
        Set<String> sources = new HashSet<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("  > ")) {
                sources.add(line.substring(4));
            }
        }
        return sources;
    }

    @Test
    void translateWritesNBestListsAsJsonLines() {
        Cli.Run run = Cli.runWithInput("Go.\nHelp!\n", "translate", "--model", model.toString(), "--beam", "4",
                "--n-best", "3", "--format", "jsonl", "--length-penalty", "avg");
        run.assertSuccess();
        String[] lines = run.out().split("\n");
        assertEquals(2, lines.length, run.out());
        for (int i = 0; i < 2; i++) {
            JsonObject object = JsonParser.parseString(lines[i]).getAsJsonObject();
            assertEquals(i == 0 ? "Go." : "Help!", object.get("src").getAsString());
            JsonArray nBest = object.getAsJsonArray("n_best");
            assertEquals(3, nBest.size());
            Set<String> distinct = new HashSet<>();
            for (int k = 0; k < 3; k++) {
                JsonObject hypothesis = nBest.get(k).getAsJsonObject();
                assertTrue(distinct.add(hypothesis.get("tgt").getAsString()));
                if (k > 0) {
                    assertTrue(nBest.get(k - 1).getAsJsonObject().get("score").getAsDouble()
                            >= hypothesis.get("score").getAsDouble(), "best first");
                }
            }
        }
        Cli.Run text = Cli.runWithInput("Go.\nHelp!\n", "translate", "--model", model.toString(), "--beam", "4",
                "--n-best", "3");
        text.assertSuccess();
        assertEquals(6, text.out().split("\n").length, "three lines per input: " + text.out());
    }

    /**
     * A file's lines are read ahead and cut into batches in order of length: each output line is
     * still its own input line's translation, as translated alone.
     */
    @Test
    void translateOfAFileGivesEveryLineItsOwnTranslationInPlace() throws Exception {
        List<String> lines = List.of("I won!", "Go.", "Help me, please.", "Hi.", "Run!", "I am hungry now.");
        Path sentences = Files.writeString(folder.resolve("unordered.txt"), String.join("\n", lines) + "\n");
        Cli.Run file = Cli.run("translate", "--model", model.toString(), "--file", sentences.toString(),
                "--batch", "2", "-q");
        file.assertSuccess();
        List<String> outputs = List.of(file.out().split("\n"));
        assertEquals(lines.size(), outputs.size(), file.out());
        for (int i = 0; i < lines.size(); i++) {
            Cli.Run alone = Cli.run("translate", "--model", model.toString(), "-q", lines.get(i));
            alone.assertSuccess();
            assertEquals(lines.get(i) + "  ->  " + outputs.get(i), alone.out().strip(), "line " + (i + 1));
        }
        assertEquals(1024, TranslateCommand.readAhead(64), "16 batches");
        assertEquals(TranslateCommand.READ_AHEAD_MAX_LINES, TranslateCommand.readAhead(1000), "at most 4,096 lines");
        assertEquals(10_000, TranslateCommand.readAhead(10_000), "but never less than a batch");
    }

    @Test
    void translateOutputWritesTheFileWholeAndNeverReplacesOneUnasked() throws Exception {
        Path sentences = Files.writeString(folder.resolve("in.txt"), "Go.\nHelp!\nI won!\n");
        Cli.Run printed = Cli.run("translate", "--model", model.toString(), "--file", sentences.toString(),
                "--format", "jsonl");
        printed.assertSuccess();
        Path output = folder.resolve("out.jsonl");
        Cli.Run written = Cli.run("translate", "--model", model.toString(), "--file", sentences.toString(),
                "--format", "jsonl", "--output", output.toString());
        written.assertSuccess();
        assertEquals("", written.out(), "nothing on standard output");
        assertEquals(printed.out(), Files.readString(output), "the file holds what standard output would");

        Files.writeString(output, "keep me\n");
        Cli.run("translate", "--model", model.toString(), "--output", output.toString(), "Go.")
                .assertUserError("exists; give --overwrite");
        Cli.run("translate", "--model", model.toString(), "--file", folder.resolve("missing.txt").toString(),
                "--output", output.toString(), "--overwrite").assertUserError("missing.txt: no such file");
        assertEquals("keep me\n", Files.readString(output), "a refused run leaves the file as it was");
        try (var leftovers = Files.list(folder)) {
            assertEquals(List.of(), leftovers.filter(p -> p.toString().endsWith(".tmp")).toList());
        }
        Cli.run("translate", "--model", model.toString(), "--output", output.toString(), "--overwrite", "Go.")
                .assertSuccess();
        assertTrue(Files.readString(output).startsWith("Go.  ->  "), Files.readString(output));
        Cli.run("translate", "--model", model.toString(), "--output", folder.toString(), "Go.")
                .assertUserError("is a folder");
    }

    /**
     * --weights bf16 decodes with the step matrices rounded to bf16: one sentence at a time through
     * the bf16 panels, the same outputs as a batch of all of them (the rounded values in float32);
     * an unknown precision is named.
     */
    @Test
    void bf16WeightsTranslateTheSameWhateverTheBatch() {
        String path = model.toString();
        String[] sentences = {"Go.", "Run!", "Hello."};
        Cli.Run one = Cli.run(concat(new String[] {"translate", "--model", path, "--weights", "bf16", "--beam", "1",
                "--batch", "1"}, sentences));
        one.assertSuccess();
        Cli.Run all = Cli.run(concat(new String[] {"translate", "--model", path, "--weights", "BF16", "--beam", "1",
                "--batch", "64"}, sentences));
        all.assertSuccess();
        assertEquals(one.out(), all.out());
        assertEquals(sentences.length, one.out().lines().count(), one.out());
        Cli.Run evaluated = Cli.run("evaluate", "--model", path, "--weights", "bf16", "--beam", "1", "--batch", "1",
                "--show", "0");
        evaluated.assertSuccess();
        assertTrue(evaluated.out().contains("chrF2 = "), evaluated.out());
        Cli.run("translate", "--model", path, "--weights", "fp8", "Go.").assertUserError("--weights");
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Test
    void decodingOptionsOutOfRangeAreNamed() {
        String path = model.toString();
        Cli.run("translate", "--model", path, "--beam", "0", "Go.").assertUserError("--beam must be at least 1");
        Cli.run("translate", "--model", path, "--beam", "2", "--n-best", "3", "Go.")
                .assertUserError("--n-best from 1 to --beam");
        Cli.run("translate", "--model", path, "--beam", "65", "Go.").assertUserError("--beam is at most 64");
        Cli.run("translate", "--model", path, "--alpha", "-1", "Go.").assertUserError("--alpha must be");
        Cli.run("translate", "--model", path, "--length-penalty", "long", "Go.").assertUserError("none, avg, wu");
        Cli.run("translate", "--model", path, "--format", "xml", "Go.").assertUserError("--format must be text or jsonl");
        Cli.run("translate", "--model", path, "--max-length-ratio", "NaN", "Go.")
                .assertUserError("--max-length-ratio must be");
        Cli.run("evaluate", "--model", path, "--split", "training").assertUserError("--split must be test or validation");
        Cli.run("train", "--test-fraction", "0.5", "--validation-split", "0.5").assertUserError("leave nothing to train");
        Cli.run("train", "--words", "split").assertUserError("--words split goes with --level word or bpe, and the level"
                + " is char");
        Cli.run("train", "--lr-decay", "0").assertUserError("--lr-decay must be in (0, 1], got 0.0");
        Cli.run("train", "--lr-decay", "1.5").assertUserError("--lr-decay must be in (0, 1], got 1.5");
        Cli.run("train", "--label-smoothing", "1").assertUserError("--label-smoothing must be in [0, 1), got 1.0");
        Cli.run("train", "--label-smoothing", "-0.1").assertUserError("--label-smoothing must be in [0, 1), got -0.1");
        Cli.run("train", "--validation-by", "random").assertUserError("--validation-by must be end or source");
        Cli.run("train", "--lr-schedule", "cosine").assertUserError("Invalid value for option '--lr-schedule'");
        Cli.run("train", "--optimizer", "sgd").assertUserError("Invalid value for option '--optimizer'");
    }
}
