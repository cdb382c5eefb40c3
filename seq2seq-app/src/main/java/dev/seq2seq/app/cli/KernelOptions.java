package dev.seq2seq.app.cli;

import dev.seq2seq.engine.kernels.Backend;
import picocli.CommandLine.Option;

/** The options every command that computes shares: how many threads the big kernels use, and how much is said. */
final class KernelOptions {
    /** -Dseq2seq.quiet=true as the JVM started (read before {@link #start} sets the property for the engine). */
    private static final boolean QUIET_PROPERTY = Boolean.getBoolean("seq2seq.quiet");

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the big kernels, at most "
            + Backend.MAX_THREADS_PER_PROCESSOR + " per processor. Default: all processors.")
    Integer threads;

    @Option(names = {"-q", "--quiet"}, description = "Do not print the kernels' line on standard error"
            + " (as -Dseq2seq.quiet=true).")
    boolean quiet;

    /** Sets the thread count and prints the kernels' line; must run before the first kernel call. */
    void start() {
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            Backend.requireSaneThreadCount(threads, "--threads");
            System.setProperty("seq2seq.threads", Integer.toString(threads));
        }
        boolean silent = quiet || QUIET_PROPERTY;
        System.setProperty("seq2seq.quiet", "true"); // the line is printed here, once, or not at all
        if (!silent) {
            System.err.println("[seq2seq] " + Backend.describe(Backend.kernels()));
        } else {
            Backend.kernels();
        }
    }
}
