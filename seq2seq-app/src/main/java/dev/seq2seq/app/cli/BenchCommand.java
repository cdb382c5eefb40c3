package dev.seq2seq.app.cli;

import dev.seq2seq.app.data.Batch;
import dev.seq2seq.app.data.Corpus;
import dev.seq2seq.app.data.Level;
import dev.seq2seq.app.data.Padding;
import dev.seq2seq.app.data.PairFile;
import dev.seq2seq.app.decode.GreedyDecoder;
import dev.seq2seq.app.model.Seq2SeqModel;
import dev.seq2seq.app.model.TrainingState.TrainingSettings;
import dev.seq2seq.app.train.Trainer;
import dev.seq2seq.app.train.TrainingDiverged;
import dev.seq2seq.app.train.TrainingRun;
import dev.seq2seq.engine.autograd.Tape;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times training and decoding of the seed's model on the bundled data, after a warm-up:",
                "samples/s and projected seconds per epoch, decoding ms per sentence (batch 1) and sentences/s"
                        + " (batched), peak memory. tools/pytorch/seq2seq_reference.py prints the same figures"
                        + " for PyTorch."},
        footer = {"", "Examples:",
                "  seq2seq bench",
                "  seq2seq bench --padding keras --batches 60 --threads 1"})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--padding", paramLabel = "masked|keras|both", defaultValue = "both",
            description = "Which padding mode(s) to time. Default: ${DEFAULT-VALUE}.")
    String padding;

    @Option(names = "--cell", paramLabel = "lstm|gru", defaultValue = "lstm", description = "Default: ${DEFAULT-VALUE}.")
    String cell;

    @Option(names = "--batches", paramLabel = "N", defaultValue = "40",
            description = "Training batches timed (after as many for warm-up). Default: ${DEFAULT-VALUE}.")
    int batches;

    @Option(names = "--sentences", paramLabel = "N", defaultValue = "200",
            description = "Validation sentences decoded. Default: ${DEFAULT-VALUE}.")
    int sentences;

    @Mixin
    KernelOptions kernels;

    @Override
    public Integer call() throws IOException, dev.seq2seq.app.data.DataException, TrainingDiverged {
        if (batches < 1 || sentences < 1) {
            throw new IllegalArgumentException("--batches and --sentences must be at least 1");
        }
        List<Padding> modes = switch (padding) {
            case "both" -> List.of(Padding.KERAS, Padding.MASKED);
            case "keras" -> List.of(Padding.KERAS);
            case "masked" -> List.of(Padding.MASKED);
            default -> throw new IllegalArgumentException("--padding must be masked, keras or both, got '" + padding + "'");
        };
        kernels.start();
        PairFile pairs = Settings.pairs(Settings.BUNDLED, 10_000);
        System.out.println("seq2seq bench: 10,000 bundled pairs (8,000 trained), batch 64, latent 256, "
                + cell.toUpperCase(Locale.ROOT) + ", RMSprop; JDK " + Runtime.version());
        for (Padding mode : modes) {
            TrainingSettings settings = new TrainingSettings(Settings.BUNDLED, 10_000, 0.2, 64, 0.001f, 0f, true, 42, 1);
            TrainingRun run = TrainingRun.start(pairs, settings, Level.CHAR, cell, 256, mode);
            double samplesPerSecond = trainingSpeed(run, mode);
            int trained = run.corpus().training().size();
            System.out.printf(Locale.ROOT, "%-6s training: %.0f samples/s, %.2f s per epoch of %d pairs (projected)%n",
                    mode.name().toLowerCase(Locale.ROOT), samplesPerSecond, trained / samplesPerSecond, trained);
            if (mode == modes.get(modes.size() - 1)) {
                decodingSpeed(run);
            }
        }
        System.out.printf(Locale.ROOT, "peak memory: heap %.0f MB, resident set %s%n", peakHeapBytes() / 1e6,
                peakResidentSet());
        return 0;
    }

    /** Samples per second over {@link #batches} batches of the first epoch's plan, after as many to warm up. */
    private double trainingSpeed(TrainingRun run, Padding mode) throws TrainingDiverged {
        Seq2SeqModel model = run.model();
        List<Corpus.Example> training = run.corpus().training();
        List<int[]> plan = Trainer.epochBatches(training, 64, mode, 42, 1);
        Tape tape = new Tape();
        long samples = 0;
        long began = 0;
        for (int b = 0; b < 2 * batches; b++) {
            if (b == batches) {
                began = System.nanoTime();
                samples = 0;
            }
            List<Corpus.Example> examples = new ArrayList<>();
            for (int index : plan.get(b % plan.size())) {
                examples.add(training.get(index));
            }
            Batch batch = model.batch(examples);
            Trainer.step(model, run.optimizer(), tape, batch, true, 1, b, b + 1);
            samples += batch.size();
        }
        return samples / ((System.nanoTime() - began) / 1e9);
    }

    private void decodingSpeed(TrainingRun run) {
        Seq2SeqModel model = run.model();
        List<int[]> sources = new ArrayList<>();
        List<Corpus.Example> validation = run.corpus().validation();
        for (int i = 0; i < Math.min(sentences, validation.size()); i++) {
            sources.add(validation.get(i).source());
        }
        // Like the reference script: the product's greedy decoder, for a fixed number of steps per
        // sentence, the seed's max_decoder_seq_length (longest target + start + end), no early stop.
        int steps = model.config().maxTargetLength() + 2;
        for (int warm = 0; warm < 2; warm++) {
            GreedyDecoder.decode(model, sources, steps, 1, false);
            GreedyDecoder.decode(model, sources, steps, 64, false);
        }
        long began = System.nanoTime();
        GreedyDecoder.decode(model, sources, steps, 1, false);
        double single = (System.nanoTime() - began) / 1e6 / sources.size();
        began = System.nanoTime();
        GreedyDecoder.decode(model, sources, steps, 64, false);
        double batched = sources.size() / ((System.nanoTime() - began) / 1e9);
        System.out.printf(Locale.ROOT, "decoding (greedy, %d steps per sentence): batch 1 %.3f ms per sentence"
                + " (%.0f sentences/s); batch 64 %.0f sentences/s%n", steps, single, 1000 / single, batched);
    }

    private static long peakHeapBytes() {
        long total = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                total += pool.getPeakUsage().getUsed();
            }
        }
        return total;
    }

    /** VmHWM from /proc/self/status (Linux), or "unknown". */
    private static String peakResidentSet() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kilobytes = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.0f MB", kilobytes / 1e3);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }
}
