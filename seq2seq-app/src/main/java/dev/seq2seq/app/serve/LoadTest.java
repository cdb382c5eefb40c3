package dev.seq2seq.app.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.seq2seq.translator.Translator;
import dev.seq2seq.translator.data.PairFileReader;
import dev.seq2seq.translator.data.SentencePair;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded load test of {@code seq2seq serve} on loopback (a tool, not a test: its figures depend
 * on the machine). The same {@code requests} one-sentence requests from {@code clients} concurrent
 * clients go to a batching server and to one that decodes each request alone; it prints throughput
 * and p50/p99 latency for both, and checks that every answer equals the single-threaded
 * translation of its sentence.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp seq2seq.jar dev.seq2seq.app.serve.LoadTest MODEL [REQUESTS] [CLIENTS]</pre>
 */
public final class LoadTest {
    private LoadTest() {
    }

    private record Result(String mode, double seconds, long[] latencyNanos, int wrong, int refused) {
        double percentileMillis(double p) {
            long[] sorted = latencyNanos.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LoadTest MODEL [REQUESTS=2000] [CLIENTS=16]");
            System.exit(2);
        }
        Path model = Path.of(args[0]);
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        Translator translator = Translator.load(model);

        // 200 distinct English sentences of the bundled pairs, and their translations made alone.
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (SentencePair pair : PairFileReader.readBundled().pairs()) {
            if (distinct.size() < 200 && pair.source().length() > 12) {
                distinct.add(pair.source());
            }
        }
        List<String> sentences = List.copyOf(distinct);
        List<String> expected = new ArrayList<>();
        for (String sentence : sentences) {
            expected.add(translator.translate(List.of(sentence)).get(0));
        }
        System.out.printf(Locale.ROOT, "model %s; %d requests of one sentence from %d clients; %d processors%n",
                model.getFileName(), requests, clients, Runtime.getRuntime().availableProcessors());
        TranslationServer.Settings settings = TranslationServer.Settings.defaults("127.0.0.1", 0);
        List<Result> results = new ArrayList<>();
        run(translator, settings.withBatchWaitMillis(0), "unbatched", sentences, expected, requests, clients); // JIT warm-up
        results.add(run(translator, settings.withBatchWaitMillis(0), "unbatched", sentences, expected, requests,
                clients));
        results.add(run(translator, settings, "batched (5 ms)", sentences, expected, requests, clients));
        System.out.println("| server | requests/s | p50 ms | p99 ms | answers unlike the single-threaded ones | 503s |");
        System.out.println("|---|---|---|---|---|---|");
        for (Result result : results) {
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %d | %d |%n", result.mode(),
                    result.latencyNanos().length / result.seconds(), result.percentileMillis(0.50),
                    result.percentileMillis(0.99), result.wrong(), result.refused());
        }
        System.out.printf(Locale.ROOT, "batched / unbatched throughput: %.2fx%n",
                results.get(0).seconds() / results.get(1).seconds());
        if (results.stream().anyMatch(result -> result.wrong() > 0)) {
            System.exit(1);
        }
    }

    private static Result run(Translator translator, TranslationServer.Settings settings, String mode,
                              List<String> sentences, List<String> expected, int requests, int clients)
            throws Exception {
        try (TranslationServer server = TranslationServer.start(translator, "model", settings,
                new PrintStream(OutputStream.nullOutputStream()))) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/translator/translate");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            long[] latency = new long[requests];
            AtomicInteger next = new AtomicInteger();
            AtomicInteger wrong = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long began = System.nanoTime();
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    workers.add(pool.submit(() -> {
                        for (int r = next.getAndIncrement(); r < requests; r = next.getAndIncrement()) {
                            int s = r % sentences.size();
                            JsonArray body = new JsonArray();
                            JsonObject item = new JsonObject();
                            item.addProperty("src", sentences.get(s));
                            item.addProperty("id", 100);
                            body.add(item);
                            long sent = System.nanoTime();
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            latency[r] = System.nanoTime() - sent;
                            if (response.statusCode() == 503) {
                                refused.incrementAndGet();
                            } else if (response.statusCode() != 200 || !JsonParser.parseString(response.body())
                                    .getAsJsonArray().get(0).getAsJsonArray().get(0).getAsJsonObject().get("tgt")
                                    .getAsString().equals(expected.get(s))) {
                                wrong.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get();
                }
            } finally {
                pool.shutdownNow();
            }
            return new Result(mode, (System.nanoTime() - began) / 1e9, latency, wrong.get(), refused.get());
        }
    }
}
