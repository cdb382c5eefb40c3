package dev.seq2seq.app.cli;

import dev.seq2seq.engine.kernels.Backend;
import picocli.CommandLine.Option;

/** The option every command that computes shares: how many threads the big kernels use. */
final class KernelOptions {

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the big kernels. Default: all cores.")
    Integer threads;

    /** Sets the thread count and prints the kernels' line; must run before the first kernel call. */
    void start() {
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            System.setProperty("seq2seq.threads", Integer.toString(threads));
        }
        System.setProperty("seq2seq.quiet", "true");
        System.err.println("[seq2seq] " + Backend.describe(Backend.kernels()));
    }
}
