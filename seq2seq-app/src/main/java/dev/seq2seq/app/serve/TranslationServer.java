package dev.seq2seq.app.serve;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.seq2seq.translator.Translator;
import dev.seq2seq.translator.decode.SentenceTranslation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The translation service: OpenNMT-py's REST API ({@link TranslationApi}) and the page
 * ({@link StaticFiles}) on the JDK's own HTTP server ({@code com.sun.net.httpserver}: nothing added
 * to the jar, and the load test shows decoding, not HTTP, bounds the throughput).
 *
 * <pre>
 * POST /translator/translate   [{"src": "I am cold.", "id": 100}]  ->  [[{"src", "tgt", "n_best", "pred_score", "align"}]]
 * GET  /translator/models      the model and its options
 * GET  /health                 {"status": "ok", "requests_in_flight": the others being served}
 * GET  /                       the page (index.html, app.js, style.css from the jar)
 * </pre>
 *
 * <p>Requests are decoded by a {@link Batcher}: those that arrive within a few milliseconds go
 * through the kernels as one batch. Errors are JSON bodies with 4xx/5xx codes, never a stack
 * trace. A client that does not send its whole body in time is cut off by the JDK server's request
 * timer ({@code sun.net.httpserver.maxReqTime}, set by {@link #limitRequestTime}).
 */
public final class TranslationServer implements AutoCloseable {
    /** What a server is given. */
    public record Settings(String host, int port, int maxBodyBytes, int maxSentences, int queueCapacity,
                           int batchSentences, long batchWaitMillis, int threads, int modelId, boolean verbose) {
        /** The defaults of {@code seq2seq serve}. */
        public static Settings defaults(String host, int port) {
            return new Settings(host, port, 1 << 20, 64, 256, 64, 5, 16, 100, false);
        }

        public Settings withBatchWaitMillis(long millis) {
            return new Settings(host, port, maxBodyBytes, maxSentences, queueCapacity, batchSentences, millis, threads,
                    modelId, verbose);
        }

        public Settings withQueueCapacity(int capacity) {
            return new Settings(host, port, maxBodyBytes, maxSentences, capacity, batchSentences, batchWaitMillis,
                    threads, modelId, verbose);
        }

        public Settings withThreads(int count) {
            return new Settings(host, port, maxBodyBytes, maxSentences, queueCapacity, batchSentences, batchWaitMillis,
                    count, modelId, verbose);
        }
    }

    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().create();
    /** How long a request may wait for its translation before the server answers 503. */
    private static final long ANSWER_TIMEOUT_SECONDS = 120;

    private final HttpServer http;
    private final ExecutorService handlers;
    private final Batcher batcher;
    private final TranslationApi api;
    private final String modelName;
    private final Settings settings;
    private final PrintStream log;
    private final AtomicLong requests = new AtomicLong();
    /** Requests being served now; {@link #stop} waits for them. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Set by {@link #stop}: requests still arriving are answered 503. */
    private volatile boolean stopping;

    /**
     * Starts serving {@code translator} (named {@code modelName} in {@code /translator/models}).
     * {@code port} 0 takes a free port: see {@link #port()}.
     */
    public static TranslationServer start(Translator translator, String modelName, Settings settings,
                                          PrintStream log) throws IOException {
        return start(translator, modelName, settings, log, () -> { });
    }

    /**
     * As {@link #start(Translator, String, Settings, PrintStream)}, running {@code beforeServing}
     * (a warm-up) once the port is held and before any request is answered: a port already taken
     * fails at once, and a client that connects meanwhile waits in the socket's backlog.
     */
    public static TranslationServer start(Translator translator, String modelName, Settings settings,
                                          PrintStream log, Runnable beforeServing) throws IOException {
        return new TranslationServer(translator, modelName, settings, log, beforeServing);
    }

    private TranslationServer(Translator translator, String modelName, Settings settings, PrintStream log,
                              Runnable beforeServing) throws IOException {
        this.settings = settings;
        this.modelName = modelName;
        this.log = log;
        this.api = new TranslationApi(translator, settings.modelId(), settings.maxSentences());
        // The port first: when it cannot be had, nothing else has been started.
        this.http = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 64);
        this.batcher = new Batcher(translator::translate, settings.queueCapacity(), settings.batchSentences(),
                settings.batchWaitMillis());
        this.handlers = Executors.newFixedThreadPool(settings.threads(), runnable -> {
            Thread thread = new Thread(runnable, "seq2seq-http");
            thread.setDaemon(true);
            return thread;
        });
        http.setExecutor(handlers);
        http.createContext("/translator/translate", exchange -> serve(exchange, this::translate));
        http.createContext("/translator/models", exchange -> serve(exchange, now(this::models)));
        http.createContext("/health", exchange -> serve(exchange, now(this::health)));
        StaticFiles page = new StaticFiles();
        http.createContext("/", exchange -> serve(exchange, now(page::answer)));
        try {
            beforeServing.run();
        } catch (RuntimeException | Error e) {
            // The JDK's server lets its socket go only through its dispatcher thread, which start()
            // begins: stopped unstarted, it kept the port (binding it again failed). Nothing is
            // served: a request accepted in between finds the server stopping.
            stopping = true;
            http.start();
            http.stop(0);
            batcher.close();
            handlers.shutdownNow();
            throw e;
        }
        http.start();
    }

    /**
     * Sets the JDK server's limit on receiving a request (headers and body), in seconds, unless the
     * user set it: it is read once, when the first server starts in this JVM.
     */
    public static void limitRequestTime(long seconds) {
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", Long.toString(seconds));
        }
    }

    /** The port served (the one chosen, when 0 was asked for). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** Requests being served at this moment. */
    int inFlight() {
        return inFlight.get();
    }

    /** An answer: status, content type and bytes. */
    record Answer(int status, String contentType, byte[] body) {
        static Answer json(int status, JsonElement body) {
            return new Answer(status, "application/json; charset=utf-8", JSON.toJson(body).getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * What answers a path: at once, or (a translation) when the batcher has decoded it. Either way
     * the handler thread is free as soon as the request is read and queued, so the batcher's
     * bounded queue, not the handler threads, is what limits the requests waiting.
     */
    @FunctionalInterface
    interface Route {
        /** {@code sentences[0]} is where a route says how many sentences the request held (for the log). */
        CompletableFuture<Answer> answer(HttpExchange exchange, int[] sentences)
                throws IOException, TranslationApi.BadRequest;
    }

    /** A route that answers at once. */
    @FunctionalInterface
    interface ImmediateRoute {
        Answer answer(HttpExchange exchange) throws IOException, TranslationApi.BadRequest;
    }

    private static Route now(ImmediateRoute route) {
        return (exchange, sentences) -> CompletableFuture.completedFuture(route.answer(exchange));
    }

    /** Serves one request, counted as in flight until its answer is sent (see {@link #stop}). */
    private void serve(HttpExchange exchange, Route route) {
        long began = System.nanoTime();
        long id = requests.incrementAndGet();
        inFlight.incrementAndGet();
        CompletableFuture<Answer> answer;
        int[] sentences = new int[1];
        try {
            if (stopping) {
                throw new TranslationApi.BadRequest(503, "the server is shutting down");
            }
            answer = route.answer(exchange, sentences);
        } catch (TranslationApi.BadRequest e) {
            answer = CompletableFuture.completedFuture(Answer.json(e.status, TranslationApi.error(e.getMessage())));
        } catch (IOException e) {
            // The client went away or was too slow: there is nobody to answer.
            exchange.close();
            inFlight.decrementAndGet();
            logLine(id, exchange, 0, sentences[0], began);
            return;
        } catch (RuntimeException e) {
            answer = CompletableFuture.completedFuture(failure(e));
        }
        answer.handleAsync((ready, error) -> ready != null ? ready : failure(error), handlers)
                .thenAccept(ready -> {
                    try {
                        send(exchange, ready);
                        logLine(id, exchange, ready.status(), sentences[0], began);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
    }

    /** What a failure inside the server becomes: a JSON error, 503 for the ones that are load, 500 else. */
    private static Answer failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TranslationApi.BadRequest refused) {
            return Answer.json(refused.status, TranslationApi.error(refused.getMessage()));
        }
        if (cause instanceof IllegalArgumentException refused) { // a sentence the translator refuses
            return Answer.json(400, TranslationApi.error(refused.getMessage()));
        }
        if (cause instanceof TimeoutException) {
            return Answer.json(503, TranslationApi.error("no translation within " + ANSWER_TIMEOUT_SECONDS + " s"));
        }
        if (cause instanceof IllegalStateException stopped) { // the batcher closed before decoding it
            return Answer.json(503, TranslationApi.error(stopped.getMessage()));
        }
        return Answer.json(500, TranslationApi.error("the server failed: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage())));
    }

    /** Sends the answer and closes the exchange; a client that has gone away is not an error. */
    private static void send(HttpExchange exchange, Answer answer) {
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (answer.status() >= 400) {
            // The body may not have been read; the connection is not reused after an error.
            exchange.getResponseHeaders().set("Connection", "close");
        }
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            out.write(answer.body());
        } catch (IOException e) {
            // The client closed the connection before reading its answer.
        } finally {
            exchange.close();
        }
    }

    private void logLine(long id, HttpExchange exchange, int status, int count, long began) {
        if (settings.verbose()) {
            log.printf(Locale.ROOT, "request %d  %s %s  %d  sentences %s  %.1f ms%n", id, exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), status, count == 0 ? "-" : Integer.toString(count),
                    (System.nanoTime() - began) / 1e6);
        }
    }

    private CompletableFuture<Answer> translate(HttpExchange exchange, int[] sentences)
            throws IOException, TranslationApi.BadRequest {
        requireMethod(exchange, "POST");
        TranslationApi.Request request = api.parse(body(exchange));
        sentences[0] = request.sources().size();
        try {
            return batcher.submit(request.sources(), request.options())
                    .orTimeout(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    // Writing the JSON and sending it happen on a handler thread, not the decoding one.
                    .thenApplyAsync(translated -> Answer.json(200, api.answer(request, translated)), handlers);
        } catch (Batcher.QueueFull | IllegalStateException e) { // full, or shutting down
            throw new TranslationApi.BadRequest(503, e.getMessage());
        }
    }

    private Answer models(HttpExchange exchange) throws TranslationApi.BadRequest {
        requireMethod(exchange, "GET");
        return Answer.json(200, api.models(modelName));
    }

    private Answer health(HttpExchange exchange) throws TranslationApi.BadRequest {
        requireMethod(exchange, "GET");
        JsonObject ok = new JsonObject();
        ok.addProperty("status", "ok");
        // every request counts itself in flight while it is served: this one is not news
        ok.addProperty("requests_in_flight", Math.max(0, inFlight.get() - 1));
        return Answer.json(200, ok);
    }

    private static void requireMethod(HttpExchange exchange, String method) throws TranslationApi.BadRequest {
        if (!exchange.getRequestMethod().equals(method)) {
            exchange.getResponseHeaders().set("Allow", method);
            throw new TranslationApi.BadRequest(405, exchange.getRequestMethod() + " is not allowed here; use "
                    + method);
        }
    }

    /**
     * The request body as UTF-8, refused (413) past the size limit. The body past the limit is read
     * and dropped (up to {@link #DRAIN_LIMIT}) before the answer goes out: a server that closes a
     * connection with unread bytes makes the client's system reset it, and the client may lose the
     * 413 it was sent. Past that bound the connection is simply closed.
     */
    private String body(HttpExchange exchange) throws IOException, TranslationApi.BadRequest {
        int limit = settings.maxBodyBytes();
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                throw new TranslationApi.BadRequest(400, "Content-Length is not a number: " + declared);
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            if (length > limit) {
                drain(in);
                throw new TranslationApi.BadRequest(413, "a body of " + length + " bytes; at most " + limit);
            }
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                drain(in);
                throw new TranslationApi.BadRequest(413, "a body of more than " + limit + " bytes; at most " + limit);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** The most bytes of an oversized body read and dropped before the 413 is sent. */
    static final long DRAIN_LIMIT = 64L << 20;

    private static void drain(InputStream in) throws IOException {
        long left = DRAIN_LIMIT;
        byte[] buffer = new byte[64 << 10];
        for (int read = 0; left > 0 && read >= 0; left -= Math.max(0, read)) {
            read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        }
    }

    /**
     * Lets the requests in flight finish (at most {@code graceSeconds}; any arriving meanwhile are
     * answered 503), then closes the port, the batcher and the handler threads.
     *
     * <p>The waiting is done here rather than by {@code HttpServer.stop(delay)}, which in JDK 17
     * waits the whole delay when no exchange is in progress.
     */
    public void stop(int graceSeconds) {
        stopping = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
        while (inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        http.stop(0);
        batcher.close(TimeUnit.SECONDS.toMillis(Math.max(1, graceSeconds)));
        handlers.shutdown();
        try {
            handlers.awaitTermination(graceSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(5);
    }
}
