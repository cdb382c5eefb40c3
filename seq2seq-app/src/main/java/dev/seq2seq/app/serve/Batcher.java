package dev.seq2seq.app.serve;

import dev.seq2seq.translator.decode.DecodeOptions;
import dev.seq2seq.translator.decode.SentenceTranslation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Decodes the sentences of concurrent requests together. Requests wait in a bounded queue; one
 * decoding thread takes the oldest, then for up to {@code waitMillis} gathers the requests that
 * arrive behind it (up to {@code maxSentences} sentences in all), and decodes each group that shares
 * decoding options as one batch on the same kernels. With {@code waitMillis} = 0 every request is
 * decoded alone, in arrival order: the unbatched server the load test compares with.
 *
 * <p>Why one thread: the kernels already use every core for one batch, so two batches side by
 * side would only take turns; one larger batch uses the cores better than two small ones.
 */
final class Batcher implements AutoCloseable {
    /** A request: its sentences, its options, and where its translations go. */
    private record Job(List<String> sentences, DecodeOptions options,
                       CompletableFuture<List<SentenceTranslation>> result) {
    }

    /** Thrown by {@link #submit} when the queue is full: the server answers 503. */
    static final class QueueFull extends Exception {
        private static final long serialVersionUID = 1L;

        QueueFull(int capacity) {
            super("the server is busy: " + capacity + " requests are already waiting; try again shortly");
        }
    }

    private final BiFunction<List<String>, DecodeOptions, List<SentenceTranslation>> decoder;
    private final BlockingQueue<Job> queue;
    private final int capacity;
    private final int maxSentences;
    private final long waitNanos;
    private final Thread thread;
    private volatile boolean closing;

    /**
     * @param decoder      translates a list of sentences with the given options (thread-confined here)
     * @param capacity     requests that may wait; more are refused
     * @param maxSentences the most sentences decoded in one batch (a larger request is decoded alone)
     * @param waitMillis   how long the oldest request waits for company; 0 = never batch
     */
    Batcher(BiFunction<List<String>, DecodeOptions, List<SentenceTranslation>> decoder, int capacity,
            int maxSentences, long waitMillis) {
        this.decoder = decoder;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.maxSentences = maxSentences;
        this.waitNanos = TimeUnit.MILLISECONDS.toNanos(waitMillis);
        this.thread = new Thread(this::loop, "seq2seq-batcher");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues the sentences; the future completes with their translations (or the decoder's exception). */
    CompletableFuture<List<SentenceTranslation>> submit(List<String> sentences, DecodeOptions options)
            throws QueueFull {
        if (closing) {
            throw new IllegalStateException("the server is shutting down");
        }
        Job job = new Job(List.copyOf(sentences), options, new CompletableFuture<>());
        if (!queue.offer(job)) {
            throw new QueueFull(capacity);
        }
        return job.result();
    }

    private void loop() {
        while (!(closing && queue.isEmpty())) {
            List<Job> taken = new ArrayList<>();
            try {
                Job first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                taken.add(first);
                gather(taken, first.sentences().size());
            } catch (InterruptedException e) {
                // Nothing interrupts this thread but a JVM going down; what was taken is still decoded.
            }
            decode(taken);
        }
    }

    /** Adds the requests arriving within the wait, while the batch has room. */
    private void gather(List<Job> taken, int sentences) throws InterruptedException {
        long deadline = System.nanoTime() + waitNanos;
        while (waitNanos > 0 && sentences < maxSentences) {
            Job next = queue.peek();
            if (next != null) {
                if (sentences + next.sentences().size() > maxSentences) {
                    return;
                }
                taken.add(queue.poll());
                sentences += next.sentences().size();
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Job arrived = queue.poll(left, TimeUnit.NANOSECONDS);
            if (arrived == null) {
                return;
            }
            // Taken already, so it joins even past the limit: the translator cuts what it is given
            // into batches of its own size anyway.
            taken.add(arrived);
            sentences += arrived.sentences().size();
        }
    }

    /** One batch per set of options, in order of arrival; each request gets its own slice back. */
    private void decode(List<Job> taken) {
        Map<DecodeOptions, List<Job>> groups = new LinkedHashMap<>();
        for (Job job : taken) {
            groups.computeIfAbsent(job.options(), options -> new ArrayList<>()).add(job);
        }
        for (Map.Entry<DecodeOptions, List<Job>> group : groups.entrySet()) {
            List<String> all = new ArrayList<>();
            group.getValue().forEach(job -> all.addAll(job.sentences()));
            try {
                List<SentenceTranslation> translated = decoder.apply(all, group.getKey());
                int from = 0;
                for (Job job : group.getValue()) {
                    int to = from + job.sentences().size();
                    job.result().complete(List.copyOf(translated.subList(from, to)));
                    from = to;
                }
            } catch (RuntimeException | Error e) {
                group.getValue().forEach(job -> job.result().completeExceptionally(e));
            }
        }
    }

    /** Refuses new requests, finishes those queued, and stops the thread (waits at most {@code millis}). */
    @Override
    public void close() {
        close(30_000);
    }

    void close(long millis) {
        closing = true;
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Whatever is still queued (the thread did not finish in time) is refused, not left waiting.
        for (Job job = queue.poll(); job != null; job = queue.poll()) {
            job.result().completeExceptionally(new IllegalStateException("the server stopped before this request"
                    + " was decoded"));
        }
    }
}
