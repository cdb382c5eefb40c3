package dev.seq2seq.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.seq2seq.translator.TinyModels;
import dev.seq2seq.translator.Translator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code seq2seq serve} as a user starts and stops it: a process of its own, and SIGTERM. */
class ServeCommandTest {
    private static final Pattern ADDRESS = Pattern.compile("at http://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir
    static Path folder;
    static Path model;

    @BeforeAll
    static void train() throws Exception {
        model = TinyModels.attention(folder.resolve("model.safetensors"));
    }

    @Test
    void optionsAndPlacesThatCannotServeAreNamed() throws Exception {
        String path = model.toString();
        Cli.run("serve", "--model", path, "--port", "70000").assertUserError("--port must be from 0 to 65535");
        Cli.run("serve", "--model", path, "--batch-wait", "-1").assertUserError("--batch-wait must be at least 0");
        Cli.run("serve", "--model", path, "--queue", "0").assertUserError("--queue must be at least 1");
        Cli.run("serve", "--model", path, "--grace", "-1").assertUserError("--grace must be at least 0, got -1");
        Cli.run("serve", "--model", path, "--warm-up", "-1").assertUserError("--warm-up must be from 0 to 600 seconds");
        Cli.run("serve", "--model", path, "--warm-up", "NaN").assertUserError("--warm-up must be from 0 to 600 seconds");
        Cli.run("serve", "--model", folder.resolve("missing.safetensors").toString()).assertUserError("no such file");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.run("serve", "--model", path, "--port", Integer.toString(taken.getLocalPort()), "-q")
                    .assertUserError("cannot listen there");
        }
    }

    @Test
    void aServerProcessAnswersAndFinishesItsRequestOnSigterm() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", classPath, Main.class.getName(), "serve",
                "--model", model.toString(), "--port", "0", "--grace", "120", "--warm-up", "1", "-q")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(server.getErrorStream(),
                    StandardCharsets.UTF_8));
            int port = -1;
            boolean warmedUp = false;
            while (port < 0) { // the server prints its address once it listens, after its warm-up
                String line = err.readLine();
                if (line == null) {
                    break;
                }
                warmedUp |= line.startsWith("warmed up in ");
                Matcher address = ADDRESS.matcher(line);
                if (address.find()) {
                    port = Integer.parseInt(address.group(1));
                }
            }
            assertTrue(port > 0, "the server said where it listens");
            assertTrue(warmedUp, "the server said it had warmed up before it said where it listens");
            URI translate = URI.create("http://127.0.0.1:" + port + "/translator/translate");
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(translate)
                    .POST(HttpRequest.BodyPublishers.ofString("[{\"src\": \"Go.\", \"id\": 100}]")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            String expected = Translator.load(model).translate(List.of("Go.")).get(0);
            assertEquals(expected, JsonParser.parseString(answer.body()).getAsJsonArray().get(0).getAsJsonArray()
                    .get(0).getAsJsonObject().get("tgt").getAsString());

            // A long request, then SIGTERM while it decodes: it is still answered, then the process ends.
            // Long enough to be seen in flight; --grace leaves it time to finish even on a busy machine.
            StringBuilder heavy = new StringBuilder("[");
            for (String sentence : Collections.nCopies(64, "Who are you? I am cold.")) {
                heavy.append(heavy.length() > 1 ? "," : "").append("{\"src\": \"").append(sentence)
                        .append("\", \"beam_size\": 8}");
            }
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(HttpRequest.newBuilder(translate)
                    .POST(HttpRequest.BodyPublishers.ofString(heavy.append(']').toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            // SIGTERM only once the server is decoding it: a slow machine may take long to deliver it
            URI health = URI.create("http://127.0.0.1:" + port + "/health");
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (JsonParser.parseString(client.send(HttpRequest.newBuilder(health).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body()).getAsJsonObject().get("requests_in_flight")
                    .getAsInt() == 0) {
                assertTrue(System.nanoTime() - giveUp < 0, "the long request never reached the server");
                Thread.sleep(20);
            }
            server.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its streams)
            assertEquals(200, inFlight.get(150, TimeUnit.SECONDS).statusCode(), "the request in flight was answered");
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server stopped");
            StringBuilder rest = new StringBuilder();
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                rest.append(line).append('\n');
            }
            assertTrue(rest.toString().contains("stopping: finishing the requests in flight"), rest.toString());
        } finally {
            server.destroyForcibly();
        }
    }
}
