package dev.seq2seq.engine.kernels;

import java.util.List;
import java.util.Locale;

/**
 * Chooses the kernels once, at first use, and says in one line what it chose.
 *
 * <p>System properties:
 * <ul>
 *   <li>{@code seq2seq.backend}: {@code auto} (default: vector when the module
 *       {@code jdk.incubator.vector} is readable, scalar otherwise), {@code vector} or
 *       {@code scalar};</li>
 *   <li>{@code seq2seq.vectorBits}: one of {@link #VECTOR_BITS}: 128, 256 or 512 for that width
 *       (a width wider than the CPU's runs at the CPU's, and the log line says so), 0 for the
 *       scalar backend, unset for the CPU's preferred width;</li>
 *   <li>{@code seq2seq.threads}: worker threads for big kernels (default: available processors);</li>
 *   <li>{@code seq2seq.quiet}: {@code true} to drop the log line.</li>
 * </ul>
 * The vector kernels are loaded by name, so nothing outside their package links against the
 * incubator module and the scalar backend works on a JVM started without it.
 */
public final class Backend {
    private static final String VECTOR_CLASS = "dev.seq2seq.engine.kernels.vector.VectorKernels";

    /** The values {@code seq2seq.vectorBits} accepts; 0 means the scalar backend. */
    public static final List<Integer> VECTOR_BITS = List.of(0, 128, 256, 512);

    private Backend() {
    }

    /** {@code seq2seq.vectorBits} as asked, checked against {@link #VECTOR_BITS}; null when unset. */
    public static Integer requestedVectorBits() {
        String bits = System.getProperty("seq2seq.vectorBits", "").trim();
        if (bits.isEmpty()) {
            return null;
        }
        try {
            int parsed = Integer.parseInt(bits);
            if (VECTOR_BITS.contains(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("seq2seq.vectorBits must be one of " + VECTOR_BITS + " (0 = scalar), got '"
                + bits + "'");
    }

    private static final class Holder {
        static final ParallelKernels KERNELS = create();
    }

    /** The kernels every op uses. */
    public static ParallelKernels kernels() {
        return Holder.KERNELS;
    }

    /** Whether the module {@code jdk.incubator.vector} is in this JVM's boot layer. */
    public static boolean vectorModuleReadable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** The single-threaded kernels the properties ask for (no pool, no log line). */
    public static Kernels chooseSingleThreaded() {
        String backend = System.getProperty("seq2seq.backend", "auto").trim().toLowerCase(Locale.ROOT);
        Integer bits = requestedVectorBits();
        boolean scalarAsked = backend.equals("scalar") || Integer.valueOf(0).equals(bits);
        switch (backend) {
            case "auto", "vector", "scalar" -> { }
            default -> throw new IllegalArgumentException(
                    "seq2seq.backend must be auto, vector or scalar, got '" + backend + "'");
        }
        if (scalarAsked) {
            return new ScalarKernels();
        }
        if (!vectorModuleReadable()) {
            if (backend.equals("vector")) {
                throw new IllegalStateException("seq2seq.backend=vector, but the module jdk.incubator.vector is not"
                        + " readable: start java with --add-modules jdk.incubator.vector");
            }
            System.err.println("[seq2seq] jdk.incubator.vector is not readable, using the scalar kernels"
                    + " (start java with --add-modules jdk.incubator.vector for the fast ones)");
            return new ScalarKernels();
        }
        try {
            return (Kernels) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("could not load the vector kernels: " + e, e);
        }
    }

    /**
     * The most threads accepted, per available processor: more than a few per core only adds
     * waiting, and an absurd count would exhaust the machine before any work is done.
     */
    public static final int MAX_THREADS_PER_PROCESSOR = 4;

    /** The thread count asked by {@code seq2seq.threads}, or the available processors. */
    public static int threadCount() {
        String value = System.getProperty("seq2seq.threads");
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        int threads;
        try {
            threads = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            threads = 0;
        }
        if (threads < 1) {
            throw new IllegalArgumentException("seq2seq.threads must be a positive integer, got '" + value + "'");
        }
        requireSaneThreadCount(threads, "seq2seq.threads");
        return threads;
    }

    /** Refuses more than {@link #MAX_THREADS_PER_PROCESSOR} threads per available processor, naming {@code option}. */
    public static void requireSaneThreadCount(int threads, String option) {
        int processors = Runtime.getRuntime().availableProcessors();
        int limit = MAX_THREADS_PER_PROCESSOR * processors;
        if (threads > limit) {
            throw new IllegalArgumentException(option + " is " + threads + "; at most " + limit + " ("
                    + MAX_THREADS_PER_PROCESSOR + " per processor, " + processors + " here)");
        }
    }

    private static ParallelKernels create() {
        Kernels single = chooseSingleThreaded();
        int threads = threadCount();
        ParallelKernels kernels = new ParallelKernels(single, new WorkerPool(threads));
        if (!Boolean.getBoolean("seq2seq.quiet")) {
            System.err.println("[seq2seq] " + describe(kernels));
        }
        return kernels;
    }

    /** "kernels: vector-512 (16 floats per vector), 2 threads, JDK 17.0.15". */
    public static String describe(ParallelKernels kernels) {
        String name = kernels.name();
        String width = "";
        if (name.startsWith("vector-")) {
            int bits = Integer.parseInt(name.substring(7));
            Integer asked = requestedVectorBits();
            width = " (" + bits / 32 + " floats per vector" + (asked != null && asked > bits
                    ? "; seq2seq.vectorBits=" + asked + " asked, and this CPU's widest is " + bits : "") + ")";
        }
        return "kernels: " + name + width + ", " + kernels.threads() + " thread" + (kernels.threads() == 1 ? "" : "s")
                + ", JDK " + Runtime.version();
    }
}
