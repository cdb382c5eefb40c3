package dev.seq2seq.translator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.translator.decode.SentenceTranslation;
import dev.seq2seq.translator.decode.Translation;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's library example, compiled and run as a user would (its own JVM, the library on the
 * class path) against a small trained model: it must compile without a warning and print what the
 * library gives for the same calls.
 */
class ReadmeExampleTest {
    private static final String MARKER = "<!-- library example -->";

    @TempDir
    Path folder;

    @Test
    void theReadmesExampleCompilesRunsAndPrintsTheLibrarysTranslations() throws Exception {
        String example = exampleFromReadme();
        Path source = folder.resolve("TranslateExample.java");
        Files.writeString(source, example);
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int compiled = javac.run(null, diagnostics, diagnostics, "--add-modules", "jdk.incubator.vector",
                "-Xlint:all", "-cp", classPath, "-d", folder.toString(), source.toString());
        String messages = diagnostics.toString(StandardCharsets.UTF_8);
        assertEquals(0, compiled, "the README's example does not compile:\n" + messages);
        assertTrue(messages.lines().allMatch(line -> line.contains("incubating") || line.isBlank()
                || line.startsWith("1 warning")), "warnings:\n" + messages);

        Path model = TinyModels.attention(folder.resolve("model.safetensors"));
        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", folder + File.pathSeparator + classPath,
                "TranslateExample", model.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String printed = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "the example did not finish");
        assertEquals(0, run.exitValue(), "the example failed; it printed:\n" + printed);
        assertEquals(expectedOutput(model), printed.lines().toList());
    }

    /** What the example should print, from the same calls made here. */
    private static List<String> expectedOutput(Path model) throws Exception {
        Translator translator = Translator.load(model);
        List<String> lines = new ArrayList<>();
        List<String> english = List.of("I am cold.", "Help me!");
        List<String> french = translator.translate(english);
        for (int i = 0; i < english.size(); i++) {
            lines.add(english.get(i) + " -> " + french.get(i));
        }
        for (SentenceTranslation result : translator.translate(List.of("Who won?"),
                translator.defaultOptions().withNBest(3))) {
            for (Translation output : result.nBest()) {
                lines.add(String.format(Locale.ROOT, "%8.3f  %s", output.score(), output.text()));
            }
            result.unknownTokens().forEach(token -> lines.add("never seen in training: " + token));
        }
        assertEquals(5, lines.size(), "two translations and three outputs: " + lines);
        return lines;
    }

    /** The first java block after the marker in the project's README. */
    static String exampleFromReadme() throws Exception {
        Path readme = Path.of("..", "README.md");
        assertTrue(Files.exists(readme), "the README is beside the module folder: " + readme.toAbsolutePath());
        String text = Files.readString(readme);
        int marker = text.indexOf(MARKER);
        assertTrue(marker >= 0, "README.md has lost its example marker " + MARKER);
        int start = text.indexOf("```java\n", marker);
        assertTrue(start >= 0, "no java block after the marker");
        int end = text.indexOf("\n```", start + 8);
        return text.substring(start + "```java\n".length(), end + 1);
    }
}
