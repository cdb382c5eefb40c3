package dev.seq2seq.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The backend honours the properties that choose it, and says clearly when one is wrong. */
class BackendTest {

    @Test
    void chosenKernelsFollowTheProperties() {
        String backend = System.getProperty("seq2seq.backend", "auto");
        String bits = System.getProperty("seq2seq.vectorBits", "");
        String name = Backend.kernels().name();
        if (backend.equals("scalar") || bits.equals("0") || !Backend.vectorModuleReadable()) {
            assertEquals("scalar", name);
        } else if (!bits.isEmpty()) {
            assertEquals("vector-" + bits, name, "seq2seq.vectorBits=" + bits + " was not honoured");
        } else {
            assertTrue(name.startsWith("vector-"), "the vector module is readable but the backend is " + name);
        }
        assertEquals(Backend.threadCount(), Backend.kernels().threads());
    }

    @Test
    void theLogLineNamesBackendThreadsAndJdk() {
        String line = Backend.describe(Backend.kernels());
        assertTrue(line.contains(Backend.kernels().name()), line);
        assertTrue(line.contains("thread"), line);
        assertTrue(line.contains("JDK " + Runtime.version()), line);
    }

    @Test
    void wrongPropertyValuesAreNamed() {
        withProperty("seq2seq.backend", "gpu", () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Backend::chooseSingleThreaded);
            assertTrue(e.getMessage().contains("seq2seq.backend") && e.getMessage().contains("gpu"), e.getMessage());
        });
        withProperty("seq2seq.vectorBits", "300", () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Backend::chooseSingleThreaded);
            assertTrue(e.getMessage().contains("seq2seq.vectorBits"), e.getMessage());
        });
        withProperty("seq2seq.vectorBits", "64", () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Backend::chooseSingleThreaded);
            assertEquals("seq2seq.vectorBits must be one of [0, 128, 256, 512] (0 = scalar), got '64'", e.getMessage());
        });
        withProperty("seq2seq.threads", "zero", () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Backend::threadCount);
            assertTrue(e.getMessage().contains("seq2seq.threads"), e.getMessage());
        });
        withProperty("seq2seq.threads", "100000000", () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Backend::threadCount);
            int limit = Backend.MAX_THREADS_PER_PROCESSOR * Runtime.getRuntime().availableProcessors();
            assertTrue(e.getMessage().startsWith("seq2seq.threads is 100000000; at most " + limit), e.getMessage());
        });
    }

    @Test
    void scalarCanAlwaysBeAskedFor() {
        withProperty("seq2seq.backend", "scalar", () -> assertEquals("scalar", Backend.chooseSingleThreaded().name()));
        withProperty("seq2seq.vectorBits", "0", () -> assertEquals("scalar", Backend.chooseSingleThreaded().name()));
    }

    private static void withProperty(String key, String value, Runnable body) {
        String previous = System.getProperty(key);
        System.setProperty(key, value);
        try {
            body.run();
        } finally {
            if (previous == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, previous);
            }
        }
    }
}
