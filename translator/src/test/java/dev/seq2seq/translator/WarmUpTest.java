package dev.seq2seq.translator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm-up's rule, on passes whose times are set by sleeping (a pass lasts at least what it
 * sleeps, so these do not depend on the machine's speed), and a translator's warm-up: it changes
 * no output, tells each pass's time, and refuses nothing to translate.
 */
class WarmUpTest {
    @TempDir
    static Path folder;

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBudgetOfNothingRunsOnePass() {
        AtomicInteger passes = new AtomicInteger();
        WarmUp done = WarmUp.run(passes::incrementAndGet, Duration.ZERO, pass -> { });
        assertEquals(1, passes.get());
        assertEquals(1, done.passes());
        assertFalse(done.settled());
    }

    @Test
    void passesThatKeepTheirSpeedSettleOnceTheLeastTimeIsOver() {
        List<Duration> heard = new ArrayList<>();
        WarmUp done = WarmUp.run(() -> sleep(20), Duration.ofSeconds(60), heard::add);
        assertTrue(done.settled(), done.toString());
        // 20 ms a pass: the settled passes come in well before the half second that must go by
        assertTrue(done.seconds() >= WarmUp.AT_LEAST.toNanos() / 1e9, done.toString());
        assertTrue(done.passes() >= WarmUp.AT_LEAST.toMillis() / 25, done.toString());
        assertEquals(done.passes(), heard.size());
        assertEquals(heard.get(0), done.firstPass());
        assertEquals(heard.get(heard.size() - 1), done.lastPass());
        assertTrue(done.lastPass().toMillis() >= 20, done.toString());
    }

    @Test
    void passesThatGetFasterAreRunUntilTheyStop() {
        long[] sleeps = {400, 200, 100, 50, 25};
        AtomicInteger passes = new AtomicInteger();
        WarmUp done = WarmUp.run(() -> sleep(sleeps[Math.min(passes.getAndIncrement(), sleeps.length - 1)]),
                Duration.ofSeconds(60), pass -> { });
        assertTrue(done.settled(), done.toString());
        // each of the first five is at least twice as fast as the one before; then three more at the same speed
        assertTrue(done.passes() >= sleeps.length + WarmUp.SETTLED_PASSES, done.toString());
    }

    @Test
    void aTranslatorWarmsUpWithoutChangingWhatItTranslates() throws Exception {
        Translator translator = Translator.load(TinyModels.attention(folder.resolve("model.safetensors")));
        List<String> sentences = List.of("Go.", "I am cold.", "Who are you?");
        List<String> before = translator.translate(sentences);
        List<Duration> heard = new ArrayList<>();
        WarmUp done = translator.warmUp(sentences, Duration.ZERO, heard::add);
        assertEquals(1, done.passes());
        assertEquals(List.of(done.firstPass()), heard);
        assertEquals(before, translator.translate(sentences));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> translator.warmUp(List.of(), Duration.ofSeconds(1)));
        assertTrue(none.getMessage().contains("at least one sentence"), none.getMessage());
    }
}
