package dev.seq2seq.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The program as a user meets it: exit codes, messages, and no stack trace for a user's mistake. */
class CommandLineTest {
    private static Cli.Run run(String... args) {
        return Cli.run(args);
    }

    private static Cli.Run runWithInput(String stdin, String... args) {
        return Cli.runWithInput(stdin, args);
    }

    @TempDir
    Path folder;

    @Test
    void trainTranslateAndEvaluateOnAWindowsStyleThreeColumnFile() throws Exception {
        Path data = folder.resolve("pairs.txt");
        StringBuilder text = new StringBuilder("\uFEFF");
        String[][] pairs = {{"Go.", "Va !"}, {"Hi.", "Salut !"}, {"Run!", "Cours !"}, {"Who?", "Qui ?"},
            {"Wow!", "Ça alors !"}, {"Fire!", "Au feu !"}, {"Help!", "À l'aide !"}, {"Jump.", "Saute."},
            {"Stop!", "Ça suffit !"}, {"Wait!", "Attends !"}};
        for (String[] pair : pairs) {
            text.append(pair[0]).append('\t').append(pair[1]).append("\tCC-BY 2.0 (France)\r\n");
        }
        text.append("a line without a tab\r\n");
        Files.writeString(data, text.toString(), StandardCharsets.UTF_8);
        Path model = folder.resolve("model.safetensors");
        String modelPath = model.toString();

        Cli.Run train = run("train", "--data", data.toString(), "--num-samples", "0", "--epochs", "40", "--latent", "32",
                "--batch", "8", "--lr", "0.01", "--model", modelPath, "--sample-every", "20", "--threads", "1",
                "--profile");
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("| op | forward s | backward s | calls | share |")
                && train.out().contains("| LSTM | ") && train.out().contains("| (RMSprop update) | ")
                && train.out().contains("| op (shapes) |"), "--profile's tables: " + train.out());
        assertTrue(train.err().contains("skipped 1 line of") && train.err().contains("no tab, or an empty side; line 11"),
                train.err());
        assertTrue(train.out().contains("epoch  40/40"), train.out());
        assertTrue(train.out().contains("  > ") && train.out().contains("  < "), "sample translations: " + train.out());
        assertTrue(Files.exists(model) && Files.exists(folder.resolve("model.best.safetensors"))
                && Files.exists(folder.resolve("model.loss.png")));

        Cli.Run translate = run("translate", "--model", modelPath, "Go.", "Où?");
        assertEquals(0, translate.code(), translate.err());
        assertTrue(translate.out().startsWith("Go.  ->  "), translate.out());
        assertTrue(translate.err().contains("never seen in training") && translate.err().contains("'Ù'") == false
                && translate.err().contains("'ù'"), translate.err());

        Cli.Run piped = runWithInput("Hi.\n\nStop!\n", "translate", "--model", modelPath);
        assertEquals(0, piped.code(), piped.err());
        assertEquals(3, piped.out().split("\n", -1).length - 1, "one line out per line in: " + piped.out());
        assertTrue(piped.err().contains("line 2 is empty"), piped.err());

        Cli.Run evaluate = run("evaluate", "--model", modelPath, "--show", "1");
        assertEquals(0, evaluate.code(), evaluate.err());
        assertTrue(evaluate.out().contains("validation pairs") && evaluate.out().contains("chrF"), evaluate.out());

        run("train", "--data", data.toString(), "--model", modelPath).assertUserError("already exists");
        Cli.Run resumed = run("train", "--model", modelPath, "--resume", "--epochs", "41", "--sample-every", "0");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resuming") && resumed.out().contains("epoch  41/41"), resumed.out());
    }

    @Test
    void userMistakesGetAMessageAndExitCodeTwo() throws Exception {
        run("train", "--data", folder.resolve("nope.txt").toString(), "--model", folder.resolve("m").toString())
                .assertUserError("nope.txt: no such file");
        run("train", "--cell", "rnn").assertUserError("Invalid value for option '--cell'");
        run("train", "--padding", "zeros").assertUserError("Invalid value for option '--padding'");
        // a mistyped option: the near miss and where the options are, not a screen of usage
        Cli.Run mistyped = run("translate", "--beem", "3", "Go.");
        mistyped.assertUserError("Unknown option: '--beem'");
        mistyped.assertUserError("Possible solutions: --beam");
        mistyped.assertUserError("seq2seq translate --help lists the options");
        assertFalse(mistyped.err().contains("Usage:"), mistyped.err());
        run("bench", "--sentences", "0").assertUserError("--sentences must be at least 1, got 0");
        run("bench", "--beam", "65").assertUserError("--beam must be from 1 to 64, got 65");
        run("trian").assertUserError("Did you mean: seq2seq translate or seq2seq train?");
        run("train", "--merges", "100", "--model", folder.resolve("m").toString())
                .assertUserError("--merges goes with --level bpe, and the level is char");
        run("train", "--vocab-size", "-3", "--model", folder.resolve("m").toString())
                .assertUserError("--vocab-size must be at least 0, got -3");
        run("train", "--epochs", "0", "--model", folder.resolve("m").toString())
                .assertUserError("--epochs must be at least 1, got 0");
        run("train", "--latent", "-2", "--model", folder.resolve("m").toString())
                .assertUserError("--latent must be at least 1, got -2");
        run("train", "--batch", "70000", "--model", folder.resolve("m").toString())
                .assertUserError("--batch is at most 65536, got 70000");
        run("train", "--clip-norm", "-1", "--model", folder.resolve("m").toString())
                .assertUserError("--clip-norm must be a number of at least 0 (0: off), got -1.0");
        run("translate", "--model", folder.resolve("absent.safetensors").toString(), "Go.")
                .assertUserError("absent.safetensors: no such file");
        Path garbage = folder.resolve("garbage.safetensors");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        run("translate", "--model", garbage.toString(), "Go.").assertUserError("garbage.safetensors");
        Path empty = folder.resolve("empty.txt");
        Files.writeString(empty, "");
        run("train", "--data", empty.toString(), "--model", folder.resolve("m2").toString())
                .assertUserError("the file is empty");
        run("translate", "--model", garbage.toString(), "--file", folder.resolve("none.txt").toString())
                .assertUserError("none.txt: no such file");
    }
}
