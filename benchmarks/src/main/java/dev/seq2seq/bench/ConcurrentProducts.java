package dev.seq2seq.bench;

import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Kernels;
import dev.seq2seq.engine.kernels.PackedMatrix;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CyclicBarrier;

/**
 * What a core's share of a recurrence step costs when the other core runs its share at the same
 * time: the products h [rows, 256] . U for the seed's LSTM (U [256, 1024], 1 MB). Three ways to
 * share the step between two cores:
 *
 * <ul>
 *   <li>{@code rows, packed U}: each core multiplies half the rows (32) by the whole of U packed
 *       in strips, as the training recurrences' row groups do;</li>
 *   <li>{@code rows, U in place}: the same from U itself (a decoder trained one step at a time);</li>
 *   <li>{@code units, packed U}: each core multiplies all 64 rows by half of the packed strips.</li>
 * </ul>
 *
 * <p>A shared host changes speed by a third or more for seconds at a time, for reasons that are
 * not this program's. So "alone" and "both at once" are not timed one after the other but
 * interleaved in short blocks ({@link #PRODUCTS_PER_BLOCK} products, a few milliseconds), over
 * {@link #ROUNDS} rounds. Each block of "both" is timed on each thread, and reported by its slower
 * thread (the one every step waits for) and its faster; each kind of block by the percentiles of
 * its blocks. Where the faster thread of "both" runs as fast as "alone", the other core's work
 * does not slow this one.
 *
 * <p>With {@code --pin} (Linux, with {@code taskset}) each thread is held on a processor of its
 * own. Without it the operating system places them, and on the 2-processor virtual machine of
 * BENCHMARKS.md it often ran both on one processor for part of a block after waking them together:
 * the slower thread then took up to twice its time alone.
 *
 * <p>Not a JMH benchmark: JMH reports the threads' mean, and the point is the slower thread. Run:
 * {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar dev.seq2seq.bench.ConcurrentProducts
 * [--pin]}.
 */
public final class ConcurrentProducts {
    private static final int H = 256;
    private static final int G = 4 * H;
    private static final int ROUNDS = 200;
    private static final int PRODUCTS_PER_BLOCK = 20;

    private ConcurrentProducts() {
    }

    /** One thread's share of a step's product, for {@code thread} 0 or 1. */
    private interface Product {
        void run(int thread, float[] h, float[] z);
    }

    public static void main(String[] args) throws Exception {
        for (String arg : args) {
            if (!arg.equals("--pin")) {
                System.err.println("ConcurrentProducts: unknown argument '" + arg + "'; the only one is --pin");
                System.exit(2);
            }
        }
        boolean pin = args.length > 0;
        Kernels k = Backend.chooseSingleThreaded();
        float[] u = new float[H * G];
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) Math.sin(i);
        }
        PackedMatrix packed = k.pack(u, 0, G, H, G);
        PackedMatrix[] halves = {packed.columns(0, G / 2), packed.columns(G / 2, G)};
        String[] names = {"rows, packed U (32 rows x all of U)", "rows, U in place (32 rows x all of U)",
            "units, packed U (64 rows x half of U)"};
        Product[] products = {
            (t, h, z) -> k.matmulPacked(h, 0, H, packed, z, 0, G, 32, true),
            (t, h, z) -> k.gemm(h, 0, H, 1, u, 0, G, z, 0, G, 32, H, G, true),
            (t, h, z) -> k.matmulPacked(h, 0, H, halves[t], z, t * G / 2, G, 64, true)};
        Pair pair = new Pair();
        if (pin) {
            pair.pin();
        }
        // [product][alone, both: the slower thread, both: the faster][round]
        double[][][] micros = new double[products.length][3][ROUNDS];
        for (int warm = 0; warm < 20; warm++) {
            for (Product product : products) {
                pair.time(product, 1);
                pair.time(product, 2);
            }
        }
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < products.length; i++) {
                micros[i][0][round] = pair.time(products[i], 1);
                pair.time(products[i], 2);
                micros[i][1][round] = pair.slower();
                micros[i][2][round] = pair.faster();
            }
        }
        pair.close();
        System.out.printf(Locale.ROOT, "%s%nus per product, a thread's share of a [64, 256] x [256, 1024] step;"
                + " %d rounds of blocks of %d, alone and both at once interleaved; percentiles 10th, 50th, 90th%n",
                pin ? "threads pinned: thread 0 on processor 0, thread 1 on processor 1"
                        : "threads placed by the operating system (--pin: one processor each, with taskset)",
                ROUNDS, PRODUCTS_PER_BLOCK);
        System.out.printf(Locale.ROOT, "%-38s %20s %20s %20s%n", "", "alone", "both: the slower", "both: the faster");
        for (int i = 0; i < products.length; i++) {
            System.out.printf(Locale.ROOT, "%-38s %20s %20s %20s%n", names[i], percentiles(micros[i][0]),
                    percentiles(micros[i][1]), percentiles(micros[i][2]));
        }
    }

    private static String percentiles(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%6.1f %6.1f %6.1f", sorted[sorted.length / 10],
                sorted[sorted.length / 2], sorted[sorted.length * 9 / 10]);
    }

    /**
     * Two threads that stay alive for the whole run, each with its own h and z; a block starts and
     * ends at a barrier, and a thread not in the block waits there.
     */
    private static final class Pair {
        private final CyclicBarrier start = new CyclicBarrier(3);
        private final CyclicBarrier end = new CyclicBarrier(3);
        private final double[] blockMicros = new double[2];
        private final Thread[] threads = new Thread[2];
        private volatile Product product;
        private volatile int active;
        private volatile boolean closed;

        Pair() {
            for (int t = 0; t < 2; t++) {
                int thread = t;
                // a short name: Linux keeps 15 characters of it, which --pin looks for
                threads[t] = new Thread(() -> loop(thread), "products-" + t);
                threads[t].setDaemon(true);
                threads[t].start();
            }
        }

        /** One block on {@code count} threads (1: thread 0 alone); thread 0's us per product. */
        double time(Product block, int count) throws Exception {
            product = block;
            active = count;
            start.await();
            end.await();
            return blockMicros[0];
        }

        /** The last block's slower thread, us per product. */
        double slower() {
            return Math.max(blockMicros[0], blockMicros[1]);
        }

        /** The last block's faster thread, us per product. */
        double faster() {
            return Math.min(blockMicros[0], blockMicros[1]);
        }

        /**
         * Thread t on processor t, with Linux's taskset on each thread's id (the JDK has no
         * affinity call): the operating system then cannot put both on one processor.
         */
        void pin() throws Exception {
            Thread.sleep(100); // both threads waiting at the start barrier, with their ids listed
            int pinned = 0;
            for (File task : Objects.requireNonNull(new File("/proc/self/task").listFiles(),
                    "--pin needs Linux's /proc/self/task")) {
                String name = Files.readString(task.toPath().resolve("comm")).trim();
                for (int t = 0; t < 2; t++) {
                    if (name.equals(threads[t].getName())) {
                        Process taskset = new ProcessBuilder("taskset", "-pc", Integer.toString(t), task.getName())
                                .redirectErrorStream(true).start();
                        String said = new String(taskset.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        if (taskset.waitFor() != 0) {
                            throw new IllegalStateException("taskset failed: " + said);
                        }
                        pinned++;
                    }
                }
            }
            if (pinned != 2) {
                throw new IllegalStateException("found " + pinned + " of the 2 threads to pin in /proc/self/task");
            }
        }

        void close() throws Exception {
            closed = true;
            start.await();
        }

        private void loop(int thread) {
            float[] h = new float[64 * H];
            float[] z = new float[64 * G];
            for (int i = 0; i < h.length; i++) {
                h[i] = (float) Math.cos(i + thread);
            }
            try {
                while (true) {
                    start.await();
                    if (closed) {
                        return;
                    }
                    if (thread < active) {
                        long began = System.nanoTime();
                        for (int rep = 0; rep < PRODUCTS_PER_BLOCK; rep++) {
                            product.run(thread, h, z);
                        }
                        blockMicros[thread] = (System.nanoTime() - began) / 1e3 / PRODUCTS_PER_BLOCK;
                    }
                    end.await();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
