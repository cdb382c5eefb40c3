package dev.seq2seq.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seq2seq score} on files written from the sacreBLEU fixture: it must print sacreBLEU's
 * figures (rounded to two decimals) and signatures, as text and as JSON.
 */
class ScoreCommandTest {
    @TempDir
    Path folder;

    private static JsonObject set(String name) throws IOException {
        try (InputStream in = ScoreCommandTest.class.getResourceAsStream("/golden/sacrebleu.json")) {
            JsonObject fixture = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
            for (JsonElement set : fixture.getAsJsonArray("sets")) {
                if (set.getAsJsonObject().get("name").getAsString().equals(name)) {
                    return set.getAsJsonObject();
                }
            }
        }
        throw new IllegalStateException("no set " + name);
    }

    /** The hypotheses and each reference stream as files; returns the arguments naming them. */
    private List<String> files(JsonObject set) throws IOException {
        List<String> hypotheses = new ArrayList<>();
        set.getAsJsonArray("hypotheses").forEach(h -> hypotheses.add(h.getAsString()));
        List<String> args = new ArrayList<>(List.of("score", "--hypotheses", write("hyp.txt", hypotheses)));
        JsonArray references = set.getAsJsonArray("references");
        for (int k = 0; k < references.get(0).getAsJsonArray().size(); k++) {
            List<String> stream = new ArrayList<>();
            for (JsonElement sentence : references) {
                stream.add(sentence.getAsJsonArray().get(k).getAsString());
            }
            args.addAll(List.of("--references", write("ref" + k + ".txt", stream)));
        }
        return args;
    }

    private String write(String name, List<String> lines) throws IOException {
        Path file = folder.resolve(name);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file.toString();
    }

    private static String expectedLine(JsonObject score) {
        String signature = score.get("signature").getAsString().replaceFirst("\\|version:[^|]*$", "");
        return String.format(Locale.ROOT, "%s = %.2f  %s", score.get("name").getAsString(),
                score.get("score").getAsDouble(), signature);
    }

    @Test
    void printsSacreBleusScoresAndSignaturesForTwoReferenceFiles() throws IOException {
        JsonObject set = set("two references each");
        List<String> args = files(set);
        args.addAll(List.of("--metrics", "bleu,chrf,chrf++"));
        Cli.Run run = Cli.run(args.toArray(String[]::new));
        run.assertSuccess();
        String[] lines = run.out().split("\n");
        JsonObject scores = set.getAsJsonObject("scores");
        assertEquals(3, lines.length, run.out());
        assertTrue(lines[0].startsWith(expectedLine(scores.getAsJsonObject("BLEU"))), lines[0]);
        assertEquals(expectedLine(scores.getAsJsonObject("chrF2")), lines[1]);
        assertEquals(expectedLine(scores.getAsJsonObject("chrF2++")), lines[2]);
        assertTrue(lines[0].contains("nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp"), lines[0]);
    }

    @Test
    void jsonHoldsTheSameScores() throws IOException {
        JsonObject set = set("one reference, no-break spaces in the references");
        List<String> args = files(set);
        args.addAll(List.of("--tokenize", "intl", "--json"));
        Cli.Run run = Cli.run(args.toArray(String[]::new));
        run.assertSuccess();
        JsonArray printed = JsonParser.parseString(run.out()).getAsJsonArray();
        JsonObject scores = set.getAsJsonObject("scores");
        assertEquals("BLEU", printed.get(0).getAsJsonObject().get("name").getAsString());
        assertEquals(Math.round(scores.getAsJsonObject("BLEU-intl").get("score").getAsDouble() * 100) / 100.0,
                printed.get(0).getAsJsonObject().get("score").getAsDouble(), 1e-12);
        assertTrue(printed.get(0).getAsJsonObject().get("signature").getAsString().contains("tok:intl"));
        assertEquals(Math.round(scores.getAsJsonObject("chrF2").get("score").getAsDouble() * 100) / 100.0,
                printed.get(1).getAsJsonObject().get("score").getAsDouble(), 1e-12);
    }

    @Test
    void mismatchedFilesAndUnknownNamesAreUserErrors() throws IOException {
        String hypotheses = write("h.txt", List.of("a", "b"));
        String shorter = write("r.txt", List.of("a"));
        Cli.Run run = Cli.run("score", "--hypotheses", hypotheses, "--references", shorter);
        run.assertUserError("r.txt: has 1 lines where");
        run.assertUserError("h.txt has 2");

        run = Cli.run("score", "--hypotheses", hypotheses, "--references", hypotheses, "--metrics", "ter");
        run.assertUserError("unknown metric 'ter'");

        run = Cli.run("score", "--hypotheses", hypotheses, "--references", folder.resolve("missing.txt").toString());
        run.assertUserError("missing.txt: no such file");

        run = Cli.run("score", "--hypotheses", hypotheses, "--references", hypotheses, "--tokenize", "moses");
        run.assertUserError("unknown BLEU tokenizer 'moses'");
    }
}
