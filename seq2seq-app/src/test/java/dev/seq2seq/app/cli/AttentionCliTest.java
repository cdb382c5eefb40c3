package dev.seq2seq.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An attention model through the command line: trained, described, resumed, and its alignments in jsonl. */
class AttentionCliTest {
    private static final String[][] PAIRS = {{"Go.", "Va !"}, {"Hi.", "Salut !"}, {"Run!", "Cours !"},
        {"Who?", "Qui ?"}, {"Wow!", "Ça alors !"}, {"Fire!", "Au feu !"}, {"Help!", "À l'aide !"},
        {"Jump.", "Saute."}, {"Stop!", "Ça suffit !"}, {"Wait!", "Attends !"}};

    @TempDir
    Path folder;

    @Test
    void aStackedBidirectionalEncoderTrainsWithAndWithoutAttention() throws Exception {
        Path data = pairs();
        for (String attention : new String[] {"none", "additive"}) {
            String model = folder.resolve("bi-" + attention + ".safetensors").toString();
            Cli.Run train = Cli.run("train", "--data", data.toString(), "--num-samples", "0", "--epochs", "2",
                    "--latent", "16", "--batch", "4", "--cell", "gru", "--model", model, "--sample-every", "0",
                    "--threads", "1", "--attention", attention, "--bidirectional", "--layers", "2", "--dropout", "0.1");
            train.assertSuccess();
            assertTrue(train.out().contains("GRU encoder-decoder (bidirectional encoder)")
                    && train.out().contains(", 2 layers, dropout 0.1"), train.out());
            Cli.run("translate", "--model", model, "Go.", "-q").assertSuccess();
            Cli.run("evaluate", "--model", model, "--beam", "2", "-q").assertSuccess();
        }
        Cli.run("train", "--data", data.toString(), "--latent", "15", "--bidirectional", "--model",
                folder.resolve("odd.safetensors").toString()).assertUserError("it must be even, got 15");
        Cli.run("train", "--data", data.toString(), "--layers", "9", "--model", folder.resolve("deep.safetensors")
                .toString()).assertUserError("--layers must be from 1 to 8, got 9");
    }

    @Test
    void benchTimesTheDecodingOfATrainedWordModel() throws Exception {
        String model = folder.resolve("words.safetensors").toString();
        Cli.run("train", "--num-samples", "400", "--level", "word", "--attention", "general", "--latent", "16",
                "--batch", "32", "--epochs", "1", "--threads", "1", "--sample-every", "0", "--model", model)
                .assertSuccess();
        Cli.Run bench = Cli.run("bench", "--model", model, "--sentences", "3", "--beam", "2", "--threads", "1", "-q");
        bench.assertSuccess();
        String out = bench.out();
        assertTrue(out.contains("decoding of " + model + " (word-level LSTM encoder-decoder with general attention,"
                + " latent 16, target vocabulary ") && out.contains("3 English sentences of the bundled data"), out);
        assertTrue(out.matches("(?s).*\\ndecoding \\(greedy, \\d+ steps per sentence\\): batch 1 [0-9.]+ ms.*"), out);
        assertTrue(out.contains("\ndecoding (greedy, bf16 step weights, ") && out.contains("\ndecoding (beam 2, ")
                && out.contains("\npeak memory: "), out);
        assertTrue(!out.contains("training:"), "no training is timed: " + out);
        Cli.run("bench", "--model", model, "--attention", "dot")
                .assertUserError("--attention is an option of the training it skips");
        Cli.run("bench", "--model", folder.resolve("nope.safetensors").toString())
                .assertUserError("nope.safetensors: no such file");
    }

    @Test
    void aTimeBudgetStopsTrainingWithAResumableCheckpoint() throws Exception {
        Path data = pairs();
        String model = folder.resolve("budget.safetensors").toString();
        Cli.Run train = Cli.run("train", "--data", data.toString(), "--num-samples", "0", "--epochs", "100000",
                "--latent", "8", "--batch", "4", "--model", model, "--sample-every", "0", "--threads", "1",
                "--max-time", "3s");
        train.assertSuccess();
        assertTrue(train.out().contains("the time budget is spent"), train.out());
        assertTrue(Files.exists(folder.resolve("budget.best.safetensors")));
        Cli.run("train", "--model", model, "--resume", "--epochs", "100000", "--max-time", "1s", "--sample-every", "0")
                .assertSuccess();
        Cli.run("train", "--data", data.toString(), "--max-time", "soon").assertUserError("is not a duration");
        Cli.run("train", "--data", data.toString(), "--max-time", "0s").assertUserError("longer than zero");
    }

    @Test
    void adamWithALinearRateTrainsAndSaysOverWhichEpochsTheRateFalls() throws Exception {
        Path data = pairs();
        String model = folder.resolve("adam.safetensors").toString();
        Cli.Run unplanned = Cli.run("train", "--data", data.toString(), "--num-samples", "0", "--latent", "8",
                "--batch", "4", "--model", model, "--sample-every", "0", "--threads", "1", "--max-time", "2s",
                "--optimizer", "adam", "--lr-schedule", "linear");
        unplanned.assertSuccess();
        assertTrue(unplanned.out().contains("the rate reaches zero at the end of epoch 100, the default --epochs"),
                unplanned.out());
        assertTrue(unplanned.out().contains("Adam lr 0.001 falling linearly to 0 by the end of epoch 100"),
                unplanned.out());
        Cli.Run planned = Cli.run("train", "--data", data.toString(), "--num-samples", "0", "--epochs", "2",
                "--latent", "8", "--batch", "4", "--model", model, "--overwrite", "--sample-every", "0", "--threads",
                "1", "--optimizer", "adam", "--lr-schedule", "linear");
        planned.assertSuccess();
        assertTrue(!planned.out().contains("note:") && planned.out().contains("by the end of epoch 2"), planned.out());
        Cli.run("train", "--model", model, "--resume", "--epochs", "3", "--sample-every", "0").assertSuccess();
    }

    @Test
    void aWeightAverageIsValidatedBesideTheWeightsAndTranslatedWith() throws Exception {
        Path data = pairs();
        String model = folder.resolve("averaged.safetensors").toString();
        Cli.Run train = Cli.run("train", "--data", data.toString(), "--num-samples", "0", "--epochs", "2",
                "--latent", "8", "--batch", "4", "--model", model, "--sample-every", "0", "--threads", "1",
                "--average-decay", "0.99");
        train.assertSuccess();
        assertTrue(train.out().contains("translates with the weights' moving average (decay 0.99)"), train.out());
        assertEquals(2, train.out().split("\\(averaged; the weights: val_loss ", -1).length - 1,
                "both figures on every epoch line: " + train.out());
        Cli.run("translate", "--model", model, "Hello.").assertSuccess();
        Cli.run("train", "--model", model, "--resume", "--epochs", "3", "--sample-every", "0").assertSuccess();
        Cli.run("train", "--model", model, "--resume", "--average-decay", "0.9", "-q")
                .assertUserError("--average-decay 0.9 conflicts");
        Cli.run("train", "--average-decay", "1").assertUserError("--average-decay must be in [0, 1)");
        Cli.run("train", "--average-decay", "-0.5").assertUserError("--average-decay must be in [0, 1)");
    }

    @Test
    void chrFOnAValidationSampleChoosesTheBestEpoch() throws Exception {
        Path data = pairs();
        String model = folder.resolve("chrf.safetensors").toString();
        Cli.Run train = Cli.run("train", "--data", data.toString(), "--num-samples", "0", "--epochs", "3",
                "--latent", "16", "--batch", "4", "--lr", "0.01", "--model", model, "--sample-every", "0",
                "--threads", "1", "--validation-split", "0.3", "--chrf-sample", "2", "--attention", "dot");
        train.assertSuccess();
        assertEquals(3, train.out().split("val_chrF2 ", -1).length - 1, "a chrF2 on every epoch line: " + train.out());
        assertTrue(train.out().contains("best validation chrF2"), train.out());
        List<String> history = Files.readAllLines(folder.resolve("chrf.history.csv"));
        assertEquals("epoch,loss,val_loss,val_accuracy,seconds,val_chrf2", history.get(0));
        assertEquals(4, history.size());
        Cli.run("train", "--model", model, "--resume", "--epochs", "4", "--sample-every", "0").assertSuccess();
        assertEquals(5, Files.readAllLines(folder.resolve("chrf.history.csv")).size());
        Cli.run("train", "--model", model, "--resume", "--epochs", "5", "--chrf-sample", "3")
                .assertUserError("--chrf-sample 3 conflicts");
    }

    private Path pairs() throws Exception {
        Path data = folder.resolve("pairs.txt");
        StringBuilder text = new StringBuilder();
        for (String[] pair : PAIRS) {
            text.append(pair[0]).append('\t').append(pair[1]).append('\n');
        }
        Files.writeString(data, text.toString(), StandardCharsets.UTF_8);
        return data;
    }

    @Test
    void anAttentionModelTrainsResumesAndShowsWhereItLooked() throws Exception {
        Path data = folder.resolve("pairs.txt");
        StringBuilder text = new StringBuilder();
        for (String[] pair : PAIRS) {
            text.append(pair[0]).append('\t').append(pair[1]).append('\n');
        }
        Files.writeString(data, text.toString(), StandardCharsets.UTF_8);
        String model = folder.resolve("model.safetensors").toString();
        Cli.Run train = Cli.run("train", "--data", data.toString(), "--num-samples", "0", "--epochs", "3",
                "--latent", "16", "--batch", "4", "--lr", "0.01", "--model", model, "--sample-every", "0",
                "--threads", "1", "--attention", "general");
        train.assertSuccess();
        assertTrue(train.out().contains("LSTM encoder-decoder with general attention"), train.out());
        Cli.run("train", "--model", model, "--resume", "--epochs", "4", "--attention", "dot")
                .assertUserError("--attention dot conflicts with the run saved in");
        Cli.run("train", "--model", model, "--resume", "--epochs", "4", "--sample-every", "0").assertSuccess();

        Cli.Run translate = Cli.run("translate", "--model", model, "--format", "jsonl", "--attention-weights",
                "--n-best", "2", "Help!", "-q");
        translate.assertSuccess();
        JsonObject line = JsonParser.parseString(translate.out().strip()).getAsJsonObject();
        for (var element : line.getAsJsonArray("n_best")) {
            JsonObject hypothesis = element.getAsJsonObject();
            int outputTokens = hypothesis.get("tgt").getAsString().codePointCount(0,
                    hypothesis.get("tgt").getAsString().length());
            String align = hypothesis.get("align").getAsString();
            assertEquals(outputTokens, align.isEmpty() ? 0 : align.split(" ").length, "one pair per output character");
            JsonArray attention = hypothesis.getAsJsonArray("attention");
            assertEquals(outputTokens, attention.size());
            for (var row : attention) {
                assertEquals("Help!".length(), row.getAsJsonArray().size(), "one weight per source character");
                double sum = 0;
                for (var weight : row.getAsJsonArray()) {
                    sum += weight.getAsDouble();
                }
                assertEquals(1.0, sum, 1e-3);
            }
            for (String pair : align.isEmpty() ? new String[0] : align.split(" ")) {
                int source = Integer.parseInt(pair.split("-")[0]);
                assertTrue(source >= 0 && source < "Help!".length(), pair);
            }
        }

        Path pictures = folder.resolve("pictures");
        Cli.runWithInput("Help!\nGo.\n", "translate", "--model", model, "--alignments", pictures.toString(), "-q")
                .assertSuccess();
        for (String name : new String[] {"0001.png", "0002.png"}) {
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(pictures.resolve(name).toFile());
            assertTrue(image != null && image.getWidth() > 100 && image.getHeight() > 100, name);
        }
        try (var listed = Files.list(pictures)) {
            assertEquals(2, listed.count(), "one picture per sentence, nothing else");
        }
        String plain = folder.resolve("plain.safetensors").toString();
        Cli.run("train", "--data", data.toString(), "--num-samples", "0", "--epochs", "1", "--latent", "8",
                "--model", plain, "--sample-every", "0", "--threads", "1").assertSuccess();
        Cli.run("translate", "--model", plain, "--alignments", pictures.toString(), "Go.")
                .assertUserError("has no attention, so there is nothing to draw");
    }
}
