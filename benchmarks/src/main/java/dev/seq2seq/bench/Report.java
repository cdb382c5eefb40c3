package dev.seq2seq.bench;

import dev.seq2seq.engine.kernels.Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks (JMH options may be passed as usual, e.g. {@code -f 1 -wi 2}; a regular
 * expression as the first argument picks some, as with JMH) and prints Markdown tables, the
 * matmul one with GFLOP/s, headed by the machine: CPU, JDK, vector width, threads.
 */
public final class Report {
    private Report() {
    }

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar"
                    + " dev.seq2seq.bench.Report [REGEX] [JMH options]",
            "Runs the project's JMH benchmarks (those whose name matches REGEX, or all) and prints their tables:",
            "the matmul on the LSTM gate shapes in GFLOP/s beside one core's FMA ceiling, then every other",
            "benchmark's time per call. Any JMH option works, for example -f 1 -wi 2 -i 3 (forks, warm-up and",
            "measured iterations), -jvm /path/to/java (another JDK).",
            "Examples:",
            "  ... dev.seq2seq.bench.Report                  # everything, JMH's default iterations",
            "  ... dev.seq2seq.bench.Report Matmul -f 1 -wi 2 -i 3",
            "JMH's own options follow.");

    /** Prints the usage, then JMH's options, when the arguments ask for help; returns whether they did. */
    static boolean helpAsked(String[] args, java.io.PrintStream out) throws Exception {
        for (String arg : args) {
            if (arg.equals("-h") || arg.equals("--help") || arg.equals("-help")) {
                out.println(USAGE);
                new CommandLineOptions("-h").showHelp();
                return true;
            }
        }
        return false;
    }

    public static void main(String[] args) throws RunnerException, Exception {
        if (helpAsked(args, System.out)) {
            return;
        }
        CommandLineOptions given = new CommandLineOptions(args);
        OptionsBuilder builder = new OptionsBuilder();
        if (given.getIncludes().isEmpty()) {
            builder.include("dev.seq2seq.bench.*");
        }
        Options options = builder.parent(given).build();
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.println("CPU: " + cpuName() + "; JDK " + Runtime.version() + "; "
                + Backend.describe(Backend.kernels()).replace("kernels: ", "kernels at start-up: ")
                + "; the matmul runs on one thread, the other benchmarks on the kernels' threads");
        boolean products = results.stream().anyMatch(result -> isProductTable(result.getParams().getBenchmark()));
        if (products) {
            System.out.println();
            System.out.println("| shape m x k x n | backend | time per call (us) | GFLOP/s |");
            System.out.println("|---|---|---:|---:|");
        }
        for (RunResult result : results) {
            if (!result.getParams().getBenchmark().contains("MatmulBenchmark")) {
                continue;
            }
            String shape = result.getParams().getParam("shape");
            String backend = result.getParams().getParam("backend");
            int[] mkn = MatmulBenchmark.parseShape(shape);
            double micros = result.getPrimaryResult().getScore();
            double gflops = 2.0 * mkn[0] * mkn[1] * mkn[2] / (micros * 1e3);
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f |%n", shape, backend, micros, gflops);
        }
        for (RunResult result : results) {
            if (result.getParams().getBenchmark().contains("FmaPeakBenchmark")) {
                double micros = result.getPrimaryResult().getScore();
                System.out.printf(Locale.ROOT, "| FMA only, the ceiling (%d lanes) | vector | %.1f | %.1f |%n",
                        FmaPeakBenchmark.SPECIES.length(), micros, FmaPeakBenchmark.flopsPerCall() / (micros * 1e3));
            }
        }
        if (results.stream().anyMatch(result -> !isProductTable(result.getParams().getBenchmark()))) {
            System.out.println();
            System.out.println("| benchmark | parameters | time per call |");
            System.out.println("|---|---|---:|");
        }
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            if (isProductTable(name)) {
                continue;
            }
            StringBuilder parameters = new StringBuilder();
            for (String key : result.getParams().getParamsKeys()) {
                parameters.append(parameters.length() == 0 ? "" : ", ").append(key).append('=')
                        .append(result.getParams().getParam(key));
            }
            // each benchmark's own unit (us/op, ms/op), without the "/op"
            String unit = result.getPrimaryResult().getScoreUnit().replace("/op", "");
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f %s |%n",
                    name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1), parameters,
                    result.getPrimaryResult().getScore(), unit);
        }
    }

    /** Whether a benchmark's results go to the matmul table (with GFLOP/s) rather than the general one. */
    private static boolean isProductTable(String benchmark) {
        return benchmark.contains("MatmulBenchmark") || benchmark.contains("FmaPeakBenchmark");
    }

    static String cpuName() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim() + ", " + Runtime.getRuntime().availableProcessors()
                            + " cores";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }
}
