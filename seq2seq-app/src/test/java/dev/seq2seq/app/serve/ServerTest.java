package dev.seq2seq.app.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.seq2seq.translator.TinyModels;
import dev.seq2seq.translator.Translator;
import dev.seq2seq.translator.decode.SentenceTranslation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server on a free loopback port, spoken to over real HTTP: the API's answers against the
 * library's, concurrent clients, and bad requests, after each of which the server still answers.
 * (The JDK server's request timer is set to 2 s, before the first server of the test JVM starts, for the slow-client case.)
 */
class ServerTest {
    private static final List<String> SENTENCES = List.of("Go.", "I won!", "Who are you?", "Help me.", "Run!",
            "I am cold.", "Wait.", "He ran.");
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    static Path folder;
    static Translator translator;
    static TranslationServer server;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        translator = Translator.load(TinyModels.attention(folder.resolve("model.safetensors")));
        TranslationServer.limitRequestTime(2);
        server = TranslationServer.start(translator, "model.safetensors",
                TranslationServer.Settings.defaults("127.0.0.1", 0), QUIET);
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        server.stop(1);
    }

    @AfterEach
    void stillAnswers() throws Exception {
        HttpResponse<String> health = get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("ok", JsonParser.parseString(health.body()).getAsJsonObject().get("status").getAsString());
        // a request just answered may still count itself in flight for a moment: only the field is certain
        assertTrue(JsonParser.parseString(health.body()).getAsJsonObject().get("requests_in_flight").getAsInt() >= 0);
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri("/translator/translate"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String request(List<String> sources, String extra) {
        JsonArray items = new JsonArray();
        for (String source : sources) {
            JsonObject item = JsonParser.parseString("{\"id\": 100" + extra + "}").getAsJsonObject();
            item.addProperty("src", source);
            items.add(item);
        }
        return items.toString();
    }

    @Test
    void translatesAsTheLibraryDoesInOpenNmtPysShape() throws Exception {
        HttpResponse<String> response = post(request(SENTENCES, ""));
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonArray ranks = JsonParser.parseString(response.body()).getAsJsonArray();
        assertEquals(1, ranks.size(), "one rank: the best");
        List<String> expected = translator.translate(SENTENCES);
        for (int i = 0; i < SENTENCES.size(); i++) {
            JsonObject item = ranks.get(0).getAsJsonArray().get(i).getAsJsonObject();
            assertEquals(SENTENCES.get(i), item.get("src").getAsString());
            assertEquals(expected.get(i), item.get("tgt").getAsString());
            assertEquals(1, item.get("n_best").getAsInt());
            assertTrue(item.has("pred_score"));
            assertTrue(item.get("align").getAsString().matches("\\d+-0( \\d+-\\d+)*|"), item.toString());
        }
    }

    @Test
    void nBestBeamAndAttentionPerRequest() throws Exception {
        HttpResponse<String> response = post(request(List.of("I won!", "Help me."),
                ", \"n_best\": 3, \"beam_size\": 4, \"attention\": true"));
        assertEquals(200, response.statusCode(), response.body());
        JsonArray ranks = JsonParser.parseString(response.body()).getAsJsonArray();
        List<SentenceTranslation> expected = translator.translate(List.of("I won!", "Help me."),
                translator.defaultOptions().withBeam(4).withNBest(3));
        assertEquals(3, ranks.size());
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < 2; i++) {
                JsonObject item = ranks.get(k).getAsJsonArray().get(i).getAsJsonObject();
                assertEquals(expected.get(i).nBest().get(k).text(), item.get("tgt").getAsString());
                assertEquals(expected.get(i).nBest().get(k).score(), item.get("pred_score").getAsDouble(), 1e-12);
                assertEquals(item.get("tgt_tokens").getAsJsonArray().size(), item.get("attention").getAsJsonArray().size());
            }
        }
    }

    @Test
    void modelsAndThePage() throws Exception {
        JsonObject model = JsonParser.parseString(get("/translator/models").body()).getAsJsonArray().get(0)
                .getAsJsonObject();
        assertEquals(100, model.get("model_id").getAsInt());
        assertEquals("general", model.getAsJsonObject("opt").get("attention").getAsString());
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<textarea id=\"source\""), page.body());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        assertEquals(200, get("/app.js").statusCode());
        assertEquals(200, get("/style.css").statusCode());
    }

    @Test
    void concurrentClientsGetWhatOneClientGets() throws Exception {
        List<String> expected = translator.translate(SENTENCES);
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int c = 0; c < 64; c++) {
                int i = c % SENTENCES.size();
                int n = 1 + c % 3;
                calls.add(clients.submit(() -> {
                    List<String> sources = new ArrayList<>();
                    for (int k = 0; k < n; k++) {
                        sources.add(SENTENCES.get((i + k) % SENTENCES.size()));
                    }
                    HttpResponse<String> response = post(request(sources, ""));
                    assertEquals(200, response.statusCode(), response.body());
                    JsonArray best = JsonParser.parseString(response.body()).getAsJsonArray().get(0).getAsJsonArray();
                    for (int k = 0; k < n; k++) {
                        assertEquals(expected.get((i + k) % SENTENCES.size()),
                                best.get(k).getAsJsonObject().get("tgt").getAsString());
                    }
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static void assertRefused(int status, String words, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        JsonElement body = JsonParser.parseString(response.body());
        String error = body.getAsJsonObject().get("error").getAsString();
        assertTrue(error.contains(words), error);
        assertFalse(response.body().contains("at dev.seq2seq"), "no stack trace: " + response.body());
    }

    @Test
    void malformedJson() throws Exception {
        assertRefused(400, "not JSON", post("[{\"src\": \"Go.\""));
        assertRefused(400, "JSON array", post("{\"src\": \"Go.\"}"));
    }

    @Test
    void anEmptyArray() throws Exception {
        assertRefused(400, "empty", post("[]"));
    }

    @Test
    void missingOrWrongFields() throws Exception {
        assertRefused(400, "item 1 has no \"src\"", post("[{\"src\": \"Go.\"}, {\"id\": 100}]"));
        assertRefused(400, "\"src\" must be a string", post("[{\"src\": 7}]"));
        assertRefused(404, "no model with id 5", post("[{\"src\": \"Go.\", \"id\": 5}]"));
        assertRefused(400, "\"beam_size\" must be a whole number", post("[{\"src\": \"Go.\", \"beam_size\": 0}]"));
        assertRefused(400, "one request has one n_best",
                post("[{\"src\": \"Go.\", \"n_best\": 1}, {\"src\": \"Run!\", \"n_best\": 2}]"));
        assertRefused(405, "use POST", get("/translator/translate"));
    }

    @Test
    void aSentenceOfAHundredThousandCharacters() throws Exception {
        assertRefused(413, "a sentence of 100000 characters", post(request(List.of("a".repeat(100_000)), "")));
    }

    @Test
    void aFiftyMegabyteBody() throws Exception {
        byte[] body = new byte[50 << 20];
        java.util.Arrays.fill(body, (byte) ' ');
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/translator/translate"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(413, "bytes; at most", response);
    }

    @Test
    void aSlowClientThatNeverFinishesItsBodyIsCutOff() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /translator/translate HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n[{\"sr")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long began = System.nanoTime();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readAllBytes(); // returns when the server closes the connection
            double seconds = (System.nanoTime() - began) / 1e9;
            assertTrue(seconds < 15, "cut off after " + seconds + " s");
            String text = new String(answer, StandardCharsets.US_ASCII);
            assertFalse(text.startsWith("HTTP/1.1 200"), text);
        }
    }

    @Test
    void pathsOutsideThePageAreNotFound() throws Exception {
        assertRefused(404, "nothing at", get("/style.css/../../../etc/passwd"));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.getOutputStream().write("GET /../../etc/passwd HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 404"), answer);
            assertFalse(answer.contains("root:"), answer);
        }
    }

    @Test
    void aFullQueueAnswers503() throws Exception {
        CountDownLatch decoding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Batcher blocked = new Batcher((sentences, options) -> {
            decoding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return translator.translate(sentences, options);
        }, 1, 64, 0)) {
            var first = blocked.submit(List.of("Go."), translator.defaultOptions());
            decoding.await();
            var second = blocked.submit(List.of("Run!"), translator.defaultOptions());
            Batcher.QueueFull full = org.junit.jupiter.api.Assertions.assertThrows(Batcher.QueueFull.class,
                    () -> blocked.submit(List.of("Wait."), translator.defaultOptions()));
            assertTrue(full.getMessage().contains("busy"), full.getMessage());
            release.countDown();
            assertEquals(translator.translate(List.of("Go.")).get(0), first.get().get(0).best().text());
            assertEquals(translator.translate(List.of("Run!")).get(0), second.get().get(0).best().text());
        }
        // Over HTTP: a server whose queue holds one request refuses with 503 while a long one decodes,
        // even with fewer handler threads than requests (they never wait for a decoding).
        try (TranslationServer tiny = TranslationServer.start(translator, "model",
                TranslationServer.Settings.defaults("127.0.0.1", 0).withQueueCapacity(1).withThreads(2), QUIET)) {
            String heavy = request(java.util.Collections.nCopies(64, "Who are you? I am cold."),
                    ", \"beam_size\": 64, \"n_best\": 1");
            URI target = URI.create("http://127.0.0.1:" + tiny.port() + "/translator/translate");
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int r = 0; r < 6; r++) {
                sent.add(client.sendAsync(HttpRequest.newBuilder(target).POST(HttpRequest.BodyPublishers.ofString(heavy))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            List<Integer> codes = new ArrayList<>();
            for (var response : sent) {
                codes.add(response.get().statusCode());
                if (response.get().statusCode() == 503) {
                    assertRefused(503, "busy", response.get());
                }
            }
            assertTrue(codes.contains(503) && codes.contains(200), "some decoded, some refused: " + codes);
        }
    }

    @Test
    void stoppingFinishesTheRequestsInFlightAndTakesNoMore() throws Exception {
        TranslationServer stopping = TranslationServer.start(translator, "model",
                TranslationServer.Settings.defaults("127.0.0.1", 0), QUIET);
        URI target = URI.create("http://127.0.0.1:" + stopping.port() + "/translator/translate");
        String heavy = request(java.util.Collections.nCopies(64, "Who are you? I am cold."), ", \"beam_size\": 32");
        var inFlight = client.sendAsync(HttpRequest.newBuilder(target).POST(HttpRequest.BodyPublishers.ofString(heavy))
                .build(), HttpResponse.BodyHandlers.ofString());
        while (stopping.inFlight() == 0) { // until the request is being served
            Thread.sleep(1);
        }
        long began = System.nanoTime();
        stopping.stop(30);
        assertTrue(System.nanoTime() - began > 20_000_000L, "stop waited for the decoding");
        assertEquals(200, inFlight.get().statusCode(), "the request in flight was answered");
        assertEquals(64, JsonParser.parseString(inFlight.get().body()).getAsJsonArray().get(0).getAsJsonArray().size());
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> client.send(HttpRequest.newBuilder(target)
                .POST(HttpRequest.BodyPublishers.ofString(request(List.of("Go."), ""))).build(),
                HttpResponse.BodyHandlers.ofString()), "no new connection after the stop");
    }
    /** The warm-up runs with the port held (nobody else can take it), and one that fails lets it go. */
    @Test
    void theWarmUpRunsWithThePortHeldAndAFailedOneReleasesIt() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        TranslationServer.Settings settings = TranslationServer.Settings.defaults("127.0.0.1", port);
        java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean();
        try (TranslationServer warmed = TranslationServer.start(translator, "model", settings, QUIET, () -> {
            try (java.net.ServerSocket other = new java.net.ServerSocket(port, 1,
                    java.net.InetAddress.getLoopbackAddress())) {
                held.set(false);
            } catch (IOException taken) {
                held.set(true);
            }
        })) {
            assertTrue(held.get(), "the port was held during the warm-up");
            assertEquals(port, warmed.port());
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/translator/translate")).POST(HttpRequest.BodyPublishers.ofString(request(List.of("Go."), "")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
        }
        IllegalStateException failed = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> TranslationServer.start(translator, "model", settings, QUIET, () -> {
                    throw new IllegalStateException("warm-up failed");
                }));
        assertEquals("warm-up failed", failed.getMessage());
        try (java.net.ServerSocket again = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort(), "the port is free again");
        }
    }
}
