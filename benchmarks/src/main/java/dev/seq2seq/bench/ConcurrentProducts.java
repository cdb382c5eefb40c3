package dev.seq2seq.bench;

import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Kernels;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;

/**
 * What a core's share of a recurrence step costs when the other core runs its share at the same
 * time: the products h [rows, 256] . U for the seed's LSTM (U [256, 1024], 1 MB), one thread
 * alone and then both threads at once, each thread timed on its own. Three ways to share the step:
 *
 * <ul>
 *   <li>{@code rows}: each core multiplies half the rows (32) by the whole of U, as the training
 *       recurrences' row groups do;</li>
 *   <li>{@code units, strided}: each core multiplies all 64 rows by the columns of its half of the
 *       units, read out of U in place (4 products of 128 columns, one per gate);</li>
 *   <li>{@code units, panel}: the same columns copied once into a contiguous panel [256, 512], as
 *       the decoding steppers do.</li>
 * </ul>
 *
 * Not a JMH benchmark: JMH reports threads' mean, and the point is the slower thread, which every
 * step waits for. Run: {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar
 * dev.seq2seq.bench.ConcurrentProducts}.
 */
public final class ConcurrentProducts {
    private static final int H = 256;
    private static final int G = 4 * H;
    private static final int REPS = 3000;

    private ConcurrentProducts() {
    }

    private interface Product {
        void run(int thread, float[] h, float[] z);
    }

    public static void main(String[] args) throws Exception {
        Kernels k = Backend.chooseSingleThreaded();
        float[] u = new float[H * G];
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) Math.sin(i);
        }
        float[][] panels = new float[2][H * G / 2];
        for (int r = 0; r < 2; r++) {
            for (int p = 0; p < H; p++) {
                for (int g = 0; g < 4; g++) {
                    System.arraycopy(u, p * G + g * H + r * H / 2, panels[r], p * G / 2 + g * H / 2, H / 2);
                }
            }
        }
        String[] names = {"rows (32 x the whole of U)", "units, strided (64 x 4 x 128 columns)",
            "units, panel (64 x a [256, 512] panel)"};
        Product[] products = {
            (t, h, z) -> k.gemm(h, 0, H, 1, u, 0, G, z, 0, G, 32, H, G, true),
            (t, h, z) -> {
                for (int g = 0; g < 4; g++) {
                    int column = g * H + t * H / 2;
                    k.gemm(h, 0, H, 1, u, column, G, z, column, G, 64, H, H / 2, true);
                }
            },
            (t, h, z) -> k.gemm(h, 0, H, 1, panels[t], 0, G / 2, z, 0, G / 2, 64, H, G / 2, true)};
        System.out.println("us per step's product, per thread (each thread does half of a [64, 256] x [256, 1024]"
                + " product)");
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < products.length; i++) {
                double alone = time(products[i], 1)[0];
                double[] both = time(products[i], 2);
                if (round > 0) {
                    System.out.printf(Locale.ROOT, "%-40s alone %6.1f   both at once %6.1f and %6.1f%n", names[i],
                            alone, both[0], both[1]);
                }
            }
        }
    }

    /** Each thread's microseconds per product, {@code threads} threads running at once. */
    private static double[] time(Product product, int threads) throws Exception {
        double[] micros = new double[threads];
        CyclicBarrier start = new CyclicBarrier(threads);
        Thread[] running = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            running[t] = new Thread(() -> {
                float[] h = new float[64 * H];
                float[] z = new float[64 * G];
                for (int i = 0; i < h.length; i++) {
                    h[i] = (float) Math.cos(i);
                }
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                long began = System.nanoTime();
                for (int rep = 0; rep < REPS; rep++) {
                    product.run(thread, h, z);
                }
                micros[thread] = (System.nanoTime() - began) / 1e3 / REPS;
            });
            running[t].start();
        }
        for (Thread t : running) {
            t.join();
        }
        return micros;
    }
}
