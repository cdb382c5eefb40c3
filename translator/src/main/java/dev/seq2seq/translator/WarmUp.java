package dev.seq2seq.translator;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * What {@link Translator#warmUp} did: translations run until they stopped getting faster, before a
 * server says it is ready.
 *
 * <p>Why: a JVM runs a method in its interpreter, then compiles it twice, each time after it has
 * run often enough; the kernels, written with the Vector API, are slowest of all until compiled
 * (each vector operation interpreted is a call and an object). The first request to a word-level
 * model with attention, served cold, took 1.6-1.9 s for two sentences and the requests after it
 * 0.12-0.16 s while the compilers caught up; after a warm-up, 0.12-0.15 s and then 0.04-0.07 s. A
 * warm-up spends that time before the first user comes.
 *
 * @param passes      passes over the sentences (one alone, the first two together, then all)
 * @param seconds     the time they took together
 * @param firstPass   the first pass's time
 * @param lastPass    the last pass's time
 * @param settled     whether the passes stopped getting faster (false: the budget ran out first)
 */
public record WarmUp(int passes, double seconds, Duration firstPass, Duration lastPass, boolean settled) {
    /** Passes in a row no more than 5% faster than the best before them, for a warm-up to end. */
    static final int SETTLED_PASSES = 3;

    /** The least time a warm-up runs for: the compilers work behind the passes, so a short lull is not the end. */
    static final Duration AT_LEAST = Duration.ofMillis(500);

    /**
     * Runs {@code pass} until the last {@link #SETTLED_PASSES} passes were each no more than 5%
     * faster than the best before them and {@link #AT_LEAST} has gone by, or until {@code budget}
     * is spent (checked after each pass; at least one pass runs). {@code eachPass} hears each
     * pass's time.
     */
    static WarmUp run(Runnable pass, Duration budget, Consumer<Duration> eachPass) {
        long began = System.nanoTime();
        long best = Long.MAX_VALUE;
        long first = -1;
        long last;
        int passes = 0;
        int settledPasses = 0;
        while (true) {
            long passBegan = System.nanoTime();
            pass.run();
            last = System.nanoTime() - passBegan;
            passes++;
            first = first < 0 ? last : first;
            eachPass.accept(Duration.ofNanos(last));
            settledPasses = last >= 0.95 * best ? settledPasses + 1 : 0;
            best = Math.min(best, last);
            long elapsed = System.nanoTime() - began;
            boolean settled = settledPasses >= SETTLED_PASSES && elapsed >= AT_LEAST.toNanos();
            if (settled || elapsed >= budget.toNanos()) {
                return new WarmUp(passes, elapsed / 1e9, Duration.ofNanos(first), Duration.ofNanos(last), settled);
            }
        }
    }

    /** One pass: the first sentence alone, the first two together, then all of them, as requests come. */
    static Runnable passOver(Translator translator, List<String> sentences) {
        List<String> alone = sentences.subList(0, 1);
        List<String> two = sentences.subList(0, Math.min(2, sentences.size()));
        return () -> {
            translator.translate(alone);
            translator.translate(two);
            translator.translate(sentences);
        };
    }
}
