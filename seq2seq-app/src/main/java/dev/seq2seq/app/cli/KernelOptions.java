package dev.seq2seq.app.cli;

import dev.seq2seq.engine.kernels.Backend;
import java.util.Locale;
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

    boolean verbose;

    /** Whether the running command asked for --verbose (the error handler prints stack traces then). */
    static volatile boolean verboseRun;

    /** Set while the command line is parsed, so even an error before {@link #start} gets its stack trace. */
    @Option(names = {"-v", "--verbose"}, description = "Say more: the JVM, its heap and processors; and on an error,"
            + " its stack trace.")
    void setVerbose(boolean verbose) {
        this.verbose = verbose;
        verboseRun = verbose;
    }

    /** Sets the thread count and prints the kernels' line; must run before the first kernel call. */
    void start() {
        if (quiet && verbose) {
            throw new IllegalArgumentException("--quiet and --verbose contradict each other");
        }
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            Backend.requireSaneThreadCount(threads, "--threads");
            System.setProperty("seq2seq.threads", Integer.toString(threads));
        }
        boolean silent = quiet || QUIET_PROPERTY;
        System.setProperty("seq2seq.quiet", "true"); // the line is printed here, once, or not at all
        if (verbose) {
            Runtime runtime = Runtime.getRuntime();
            System.err.printf(Locale.ROOT, "[seq2seq] JVM: %s %s, max heap %.1f GB, %d processors, vector module %s%n",
                    System.getProperty("java.vm.name"), Runtime.version(), runtime.maxMemory() / 1e9,
                    runtime.availableProcessors(), Backend.vectorModuleReadable() ? "readable" : "not readable");
        }
        if (!silent) {
            System.err.println("[seq2seq] " + Backend.describe(Backend.kernels()));
        } else {
            Backend.kernels();
        }
    }
}
