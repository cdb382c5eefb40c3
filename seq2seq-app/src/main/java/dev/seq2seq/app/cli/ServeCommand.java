package dev.seq2seq.app.cli;

import dev.seq2seq.app.serve.TranslationServer;
import dev.seq2seq.translator.Translator;
import dev.seq2seq.translator.WarmUp;
import dev.seq2seq.translator.data.DataException;
import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Serves a trained model over HTTP: OpenNMT-py's REST API (POST /translator/translate,"
                + " GET /translator/models), GET /health, and a page at / to translate in a browser.",
                "Requests that arrive within --batch-wait milliseconds are decoded as one batch. Ctrl-C or SIGTERM"
                        + " stops taking requests and finishes those in flight."},
        footer = {"", "Examples:",
                "  seq2seq serve --model seq2seq.best.safetensors",
                "  curl -s localhost:8080/translator/translate -d '[{\"src\": \"I am cold.\", \"id\": 100}]'",
                "  seq2seq serve --host 0.0.0.0 --port 9000 --verbose   # reachable from other machines",
                "", Main.EXIT_CODES})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ModelOption trained;

    @Mixin
    WeightsOption weights;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on; the default takes requests from this machine only. Default:"
                    + " ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port to listen on (0: any free port, printed). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--batch-wait", paramLabel = "MS", defaultValue = "5",
            description = "How long a request waits for others to share its batch; 0 = every request decoded alone."
                    + " Default: ${DEFAULT-VALUE}.")
    long batchWait;

    @Option(names = "--max-batch", paramLabel = "N", defaultValue = "64",
            description = "The most sentences decoded in one batch. Default: ${DEFAULT-VALUE}.")
    int maxBatch;

    @Option(names = "--queue", paramLabel = "N", defaultValue = "256",
            description = "Requests that may wait; past that the server answers 503. Default: ${DEFAULT-VALUE}.")
    int queue;

    @Option(names = "--max-sentences", paramLabel = "N", defaultValue = "64",
            description = "The most sentences in one request (413 past it). Default: ${DEFAULT-VALUE}.")
    int maxSentences;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "1048576",
            description = "The largest request body (413 past it). Default: ${DEFAULT-VALUE}.")
    int maxBody;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "A client must send its whole request within this time, or is cut off. Default:"
                    + " ${DEFAULT-VALUE}.")
    long requestTimeout;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "10",
            description = "On Ctrl-C or SIGTERM, how long the requests in flight may take to finish before the server"
                    + " closes anyway (0: at once). Default: ${DEFAULT-VALUE}.")
    int grace;

    @Option(names = "--warm-up", paramLabel = "SECONDS", defaultValue = "10",
            description = "Before answering, translate a few sentences over and over until they stop getting faster,"
                    + " for at most this long, so that the first request does not wait for the JVM's compilers (a"
                    + " word model's first request took 1.6 s cold); 0 = answer at once, 600 at most. Default:"
                    + " ${DEFAULT-VALUE}.")
    double warmUp;

    @Mixin
    KernelOptions kernels;

    /**
     * What the warm-up translates: short everyday sentences, in English like the bundled data. A
     * model of another source language meets them as unknown tokens, and its decoding runs the
     * same code all the same.
     */
    static final List<String> WARM_UP_SENTENCES = List.of("I am cold.", "Where is the station?",
            "Tom is reading a book.", "We have to go now.", "It's raining.", "Help me.", "Who are you?",
            "I don't know what you mean.");

    @Override
    public Integer call() throws IOException, DataException, InterruptedException {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be from 0 to 65535, got " + port);
        }
        atLeast("--batch-wait", batchWait, 0);
        atLeast("--max-batch", maxBatch, 1);
        atLeast("--queue", queue, 1);
        atLeast("--max-sentences", maxSentences, 1);
        atLeast("--max-body", maxBody, 1);
        atLeast("--request-timeout", requestTimeout, 1);
        atLeast("--grace", grace, 0);
        if (!(warmUp >= 0 && warmUp <= 600)) {
            throw new IllegalArgumentException("--warm-up must be from 0 to 600 seconds, got " + warmUp);
        }
        kernels.start();
        Translator translator = Translator.load(trained.model, weights.precision);
        TranslationServer.limitRequestTime(requestTimeout);
        TranslationServer.Settings settings = new TranslationServer.Settings(host, port, maxBody, maxSentences, queue,
                maxBatch, batchWait, 16, 100, kernels.verbose);
        TranslationServer server;
        try {
            server = TranslationServer.start(translator, trained.model.getFileName().toString(), settings, System.err,
                    () -> warmUp(translator));
        } catch (BindException e) {
            throw new DataException(host + ":" + port + ": cannot listen there (" + e.getMessage() + "); is another"
                    + " server on that port? --port 0 takes a free one");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("stopping: finishing the requests in flight");
            server.stop(grace);
            stopped.countDown();
        }, "seq2seq-serve-stop"));
        System.err.println("serving " + trained.model + " at http://" + (host.contains(":") ? "[" + host + "]" : host)
                + ":" + server.port() + "/ (Ctrl-C stops)");
        stopped.await();
        return 0;
    }

    /** Runs the warm-up, when asked for, and says what it did. */
    private void warmUp(Translator translator) {
        if (warmUp == 0) {
            return;
        }
        WarmUp done = translator.warmUp(WARM_UP_SENTENCES, Duration.ofMillis(Math.round(warmUp * 1000)),
                pass -> {
                    if (kernels.verbose) {
                        System.err.printf(Locale.ROOT, "warm-up pass: %.1f ms%n", pass.toNanos() / 1e6);
                    }
                });
        System.err.printf(Locale.ROOT, "warmed up in %.1f s: %d passes over %d sentences, the first %,.0f ms, the last"
                + " %,.0f ms%s%n", done.seconds(), done.passes(), WARM_UP_SENTENCES.size(),
                done.firstPass().toNanos() / 1e6, done.lastPass().toNanos() / 1e6,
                done.settled() ? "" : " (still getting faster when --warm-up ran out)");
    }

    private static void atLeast(String option, long value, long minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(option + " must be at least " + minimum + ", got " + value);
        }
    }
}
