package dev.seq2seq.app.cli;

import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.FmaCeiling;
import dev.seq2seq.engine.kernels.HandOffCost;
import dev.seq2seq.engine.kernels.PackedMatrix;
import dev.seq2seq.engine.kernels.ParallelKernels;
import dev.seq2seq.nn.WeightPrecision;
import dev.seq2seq.nn.rnn.RecurrentLayer;
import dev.seq2seq.translator.data.Batch;
import dev.seq2seq.translator.data.Corpus;
import dev.seq2seq.translator.data.DataException;
import dev.seq2seq.translator.data.Level;
import dev.seq2seq.translator.data.Padding;
import dev.seq2seq.translator.data.PairFile;
import dev.seq2seq.translator.data.SentencePair;
import dev.seq2seq.translator.decode.BeamSearch;
import dev.seq2seq.translator.decode.DecodeOptions;
import dev.seq2seq.translator.decode.GreedyDecoder;
import dev.seq2seq.translator.decode.LengthPenalty;
import dev.seq2seq.translator.model.Architecture;
import dev.seq2seq.translator.model.Attention;
import dev.seq2seq.translator.model.Cell;
import dev.seq2seq.translator.model.Decoding;
import dev.seq2seq.translator.model.ModelConfig;
import dev.seq2seq.translator.model.ModelFile;
import dev.seq2seq.translator.model.Seq2SeqModel;
import dev.seq2seq.translator.train.BatchPlan;
import dev.seq2seq.translator.train.SeedJob;
import dev.seq2seq.translator.train.Trainer;
import dev.seq2seq.translator.train.TrainingDiverged;
import dev.seq2seq.translator.train.TrainingRun;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Times training and decoding of the seed's model on the bundled data, after a warm-up (with"
                + " --model, the decoding of a trained model).",
                "It prints training samples/s and the projected seconds per epoch, in each padding mode, with the"
                        + " FLOP rate of its matrix products and its share of the machine's FMA ceiling (measured"
                        + " first, on every kernel thread, beside the round trip of a hand-off between the kernel"
                        + " threads and a step of theirs in lockstep); greedy and beam-search decoding in ms per"
                        + " sentence (batch 1) and sentences/s (batch 64; greedy with its share of the FMA"
                        + " ceiling), greedy batch 1 also with bf16 step weights (translate --weights bf16); the"
                        + " peak memory. Each"
                        + " decoding is warmed up, then its pass over the sentences repeated for at least a second.",
                "tools/pytorch/seq2seq_reference.py prints the same figures for PyTorch."},
        footer = {"", "Examples:",
                "  seq2seq bench",
                "  seq2seq bench --padding keras --batches 60 --threads 1",
                "  seq2seq bench --padding masked --beam 1 --compare-threads",
                "  seq2seq bench --model words.safetensors --sentences 100",
                "", Main.EXIT_CODES})
final class BenchCommand implements Callable<Integer> {
    /** The padding modes to time. */
    enum Modes {
        BOTH(Padding.KERAS, Padding.MASKED), KERAS(Padding.KERAS), MASKED(Padding.MASKED);

        final List<Padding> paddings;

        Modes(Padding... paddings) {
            this.paddings = List.of(paddings);
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Option(names = "--padding", paramLabel = "MODES", defaultValue = "both",
            description = "Which padding mode(s) to time: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Modes padding;

    @Option(names = "--cell", paramLabel = "CELL", defaultValue = "lstm",
            description = "Recurrent cell of the timed model: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Cell cell;

    @Option(names = "--attention", paramLabel = "SCORE", defaultValue = "none",
            description = "Time the model with this attention (${COMPLETION-CANDIDATES}); none is the seed's."
                    + " Default: ${DEFAULT-VALUE}.")
    Attention attention;

    @Option(names = "--batches", paramLabel = "N", defaultValue = "40",
            description = "Training batches timed (after as many for warm-up). Default: ${DEFAULT-VALUE}.")
    int batches;

    /** Batches per block of {@code --compare-threads}. */
    static final int BLOCK = 4;

    /** The least time a decoding is run for before it is timed: see {@link #timed}. */
    private static final long DECODING_WARM_UP_NANOS = 1_000_000_000L;

    /** The most time a decoding is run for before it is timed, its passes still getting faster: see {@link #timed}. */
    private static final long DECODING_WARM_UP_MAX_NANOS = 30_000_000_000L;

    /** Passes in a row no more than 5% faster than the best before them, for the warm-up to end. */
    private static final int SETTLED_PASSES = 3;

    /**
     * The least time a decoding is timed for: its pass over the sentences is repeated until then,
     * and the figure is the mean pass. One pass of the default 200 sentences at batch 64 takes
     * about 30 ms, which one stall of the host or one collection can double: three rounds of
     * {@code tools/compare.sh} timed 2,315, 6,246 and 6,959 sentences/s that way. The reference
     * script times its passes the same way.
     */
    private static final long TIMED_NANOS = 1_000_000_000L;

    @Option(names = "--compare-threads",
            description = "Also time the same training batches on one kernel thread and on all of them, in the same"
                    + " run (blocks of " + BLOCK + " batches, each run on both sides, the first of each block not"
                    + " timed), and print the ratio per padding mode.")
    boolean compareThreads;

    @Option(names = "--sentences", paramLabel = "N", defaultValue = "200",
            description = "Sentences decoded: the first validation sentences (with --model, the last sentences of"
                    + " the bundled data). Default: ${DEFAULT-VALUE}.")
    int sentences;

    @Option(names = "--beam", paramLabel = "K", defaultValue = "" + DecodeOptions.DEFAULT_BEAM,
            description = "Also time beam search of this width (same steps, K hypotheses per sentence); 1 = greedy"
                    + " only. Default: ${DEFAULT-VALUE}.")
    int beam;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Time the decoding of this trained model instead of the seed's training and decoding (a"
                    + " checkpoint of train, its .best one, or an export: any level, attention and layers): the"
                    + " decodings above over the last --sentences English sentences of the bundled data, in the"
                    + " model's tokens, for its longest training target plus 2 steps.")
    Path decodedModel;

    @Mixin
    KernelOptions kernels;

    @Spec
    CommandSpec spec;

    /** The options of the training that {@code --model} skips. */
    private static final List<String> TRAINING_OPTIONS = List.of("--padding", "--cell", "--attention", "--batches",
            "--compare-threads");

    @Override
    public Integer call() throws IOException, DataException, TrainingDiverged {
        if (batches < 1) {
            throw new IllegalArgumentException("--batches must be at least 1, got " + batches);
        }
        if (sentences < 1) {
            throw new IllegalArgumentException("--sentences must be at least 1, got " + sentences);
        }
        if (beam < 1 || beam > DecodeOptions.MAX_BEAM) {
            throw new IllegalArgumentException("--beam must be from 1 to " + DecodeOptions.MAX_BEAM + ", got " + beam);
        }
        if (decodedModel != null) {
            for (String option : TRAINING_OPTIONS) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new IllegalArgumentException("--model times the decoding of a trained model; " + option
                            + " is an option of the training it skips");
                }
            }
            kernels.start();
            return decodingOf(decodedModel);
        }
        List<Padding> modes = padding.paddings;
        kernels.start();
        PairFile pairs = Settings.pairs(Settings.BUNDLED, SeedJob.NUM_SAMPLES);
        System.out.printf(Locale.ROOT, "seq2seq bench: %,d bundled pairs (%,d trained), batch %d, latent %d, %s,"
                + " RMSprop%s; JDK %s%n", SeedJob.NUM_SAMPLES, Math.round(SeedJob.NUM_SAMPLES
                * (1 - SeedJob.VALIDATION_SPLIT)), SeedJob.BATCH, SeedJob.LATENT, cell.name(),
                attention == Attention.NONE ? "" : ", " + attention + " attention", Runtime.version());
        int threads = Backend.kernels().threads();
        OptionalDouble ceiling = machine();
        for (Padding mode : modes) {
            TrainingRun run = TrainingRun.start(pairs, SeedJob.settings(1),
                    Architecture.plain(Level.CHAR, cell, SeedJob.LATENT, mode).withAttention(attention));
            Speed speed = trainingSpeed(run, mode);
            int trained = run.corpus().training().size();
            double flopsPerSecond = speed.productFlops() / speed.seconds();
            System.out.printf(Locale.ROOT, "%-6s training: %.0f samples/s, %.2f s per epoch of %d pairs (projected);"
                    + " matrix products %.0f GFLOP/s%s%n", mode, speed.samplesPerSecond(),
                    trained / speed.samplesPerSecond(), trained, flopsPerSecond / 1e9, ceiling.isEmpty() ? ""
                    : String.format(Locale.ROOT, ", %.0f%% of the FMA ceiling",
                            100 * flopsPerSecond / ceiling.getAsDouble()));
            if (compareThreads) {
                if (threads > 1) {
                    compareThreads(run, mode, threads);
                } else {
                    System.out.println("--compare-threads: the kernels have one thread, nothing to compare");
                }
            }
            if (mode == modes.get(modes.size() - 1)) {
                List<int[]> sources = new ArrayList<>();
                List<Corpus.Example> validation = run.corpus().validation();
                for (int i = 0; i < Math.min(sentences, validation.size()); i++) {
                    sources.add(validation.get(i).source());
                }
                decodingSpeed(run.model(), sources, ceiling);
            }
        }
        System.out.printf(Locale.ROOT, "peak memory: heap %.0f MB, resident set %s%n", peakHeapBytes() / 1e6,
                peakResidentSet());
        return 0;
    }

    /**
     * Prints the FMA ceiling on every kernel thread and the cost of a hand-off between them; returns
     * the ceiling in FLOP/s (empty on a backend without the vector FMA loop).
     */
    private static OptionalDouble machine() {
        int threads = Backend.kernels().threads();
        OptionalDouble ceiling = FmaCeiling.measure(threads, 1000);
        if (ceiling.isPresent()) {
            System.out.printf(Locale.ROOT, "FMA ceiling: %.0f GFLOP/s on %d thread%s (vector FMAs and nothing else)%n",
                    ceiling.getAsDouble() / 1e9, threads, threads == 1 ? "" : "s");
        }
        // A beam's step makes one such round trip, a greedy step of one sentence one meeting in
        // lockstep: how far apart the host placed the cores today moves those decodings' figures.
        OptionalDouble roundTrip = HandOffCost.measure(Backend.kernels(), 300);
        OptionalDouble lockstep = HandOffCost.lockstepStep(Backend.kernels(), 300);
        if (roundTrip.isPresent() && lockstep.isPresent()) {
            System.out.printf(Locale.ROOT, "hand-off: %.2f us a round trip between the %d kernel threads, %.2f us a"
                    + " step of theirs in lockstep (empty parts; the medians of 10 ms windows)%n",
                    roundTrip.getAsDouble() * 1e6, threads, lockstep.getAsDouble() * 1e6);
        }
        return ceiling;
    }

    /**
     * {@code --model}: the decodings of a trained model, over the last {@link #sentences} English
     * sentences of the bundled data that fit its longest training source (in its tokens), then the
     * peak memory.
     */
    private Integer decodingOf(Path file) throws IOException, DataException {
        Seq2SeqModel model = ModelFile.load(file).model();
        ModelConfig config = model.config();
        List<SentencePair> pairs = Settings.pairs(Settings.BUNDLED, SeedJob.NUM_SAMPLES).pairs();
        List<int[]> sources = new ArrayList<>();
        for (int i = pairs.size() - 1; i >= 0 && sources.size() < sentences; i--) {
            int[] source = model.sourceVocabulary().encode(model.sourceTokenizer().tokens(pairs.get(i).source()));
            if (source.length > 0 && source.length <= config.maxSourceLength()) {
                sources.add(source);
            }
        }
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("--model " + file + ": none of the bundled sentences fits the model's"
                    + " longest training source (" + config.maxSourceLength() + " " + config.level().unit() + ")");
        }
        Collections.reverse(sources); // in the data's order
        System.out.printf(Locale.ROOT, "seq2seq bench: decoding of %s (%s-level %s encoder-decoder%s, latent %d, target"
                        + " vocabulary %,d), %d English sentences of the bundled data; JDK %s%n", file,
                config.level().name().toLowerCase(Locale.ROOT), config.cell().name(), RunHeader.architecture(config),
                config.latent(), model.targetVocabulary().size(), sources.size(), Runtime.version());
        OptionalDouble ceiling = machine();
        decodingSpeed(model, sources, ceiling);
        System.out.printf(Locale.ROOT, "peak memory: heap %.0f MB, resident set %s%n", peakHeapBytes() / 1e6,
                peakResidentSet());
        return 0;
    }

    /** What the timed batches did: samples, seconds, and the FLOPs of their matrix products. */
    private record Speed(long samples, double seconds, long productFlops) {
        double samplesPerSecond() {
            return samples / seconds;
        }
    }

    /** The speed over {@link #batches} batches of the first epoch's plan, after as many to warm up. */
    private Speed trainingSpeed(TrainingRun run, Padding mode) throws TrainingDiverged {
        Seq2SeqModel model = run.model();
        List<Corpus.Example> training = run.corpus().training();
        List<int[]> plan = BatchPlan.epoch(training, SeedJob.BATCH, mode, SeedJob.SEED, 1);
        Tape tape = new Tape();
        long samples = 0;
        long began = 0;
        long flopsBefore = 0;
        for (int b = 0; b < 2 * batches; b++) {
            if (b == batches) {
                began = System.nanoTime();
                flopsBefore = Backend.kernels().productFlops();
                samples = 0;
            }
            Batch batch = model.batch(BatchPlan.examples(training, plan.get(b % plan.size())));
            Trainer.step(model, run.optimizer(), tape, batch, true, 1, b, b + 1);
            samples += batch.size();
        }
        return new Speed(samples, (System.nanoTime() - began) / 1e9, Backend.kernels().productFlops() - flopsBefore);
    }

    /**
     * Training on one kernel thread against all of them, in blocks of {@link #BLOCK} batches, each
     * block run twice, once on either side (which side first alternates), so that both sides time
     * the same batches and a shared machine's slow stretches fall on both alike (timed in two runs
     * one after the other, the ratio moved by a third on the machine of BENCHMARKS.md). The first
     * batch of a block is not timed: after a block on one thread the other core's caches hold none
     * of the weights, and its worker has parked. The same bits on any thread count, so the training
     * goes on as one run.
     */
    private void compareThreads(TrainingRun run, Padding mode, int threads) throws TrainingDiverged {
        Seq2SeqModel model = run.model();
        List<Corpus.Example> training = run.corpus().training();
        List<int[]> plan = BatchPlan.epoch(training, SeedJob.BATCH, mode, SeedJob.SEED, 1);
        Tape tape = new Tape();
        long[] samples = new long[2]; // [0]: one thread, [1]: all
        long[] nanos = new long[2];
        long[] productNanos = new long[2];
        RecurrenceProducts products = new RecurrenceProducts(SeedJob.BATCH, SeedJob.LATENT);
        int blocks = Math.max(1, (batches + BLOCK - 2) / (BLOCK - 1)); // about --batches timed per side
        long step = 2L * batches; // on from the batches trainingSpeed took
        for (int block = 0; block < blocks; block++) {
            for (int turn = 0; turn < 2; turn++) {
                int side = (block + turn) % 2;
                try (ParallelKernels.ThreadLimit ignored = Backend.kernels().limitThreads(side == 0 ? 1 : threads)) {
                    for (int i = 0; i < BLOCK; i++) {
                        int b = 2 * batches + block * BLOCK + i;
                        Batch batch = model.batch(BatchPlan.examples(training, plan.get(b % plan.size())));
                        long began = System.nanoTime();
                        Trainer.step(model, run.optimizer(), tape, batch, true, 1, b, ++step);
                        if (i > 0) {
                            nanos[side] += System.nanoTime() - began;
                            samples[side] += batch.size();
                        }
                    }
                    for (int i = 0; i < 2 * BLOCK; i++) { // about as long as the block's batches
                        long began = System.nanoTime();
                        products.run(Backend.kernels());
                        if (i > 0) {
                            productNanos[side] += System.nanoTime() - began;
                        }
                    }
                }
            }
        }
        double one = samples[0] / (nanos[0] / 1e9);
        double all = samples[1] / (nanos[1] / 1e9);
        System.out.printf(Locale.ROOT, "%-6s training on 1 thread against %d: %.0f against %.0f samples/s, %.2fx"
                + " (the same %d batches on each side, in blocks of %d alternated, the first of each not timed);"
                + " the recurrences' products alone, in the same blocks: %.2fx%n",
                mode, threads, one, all, all / one, blocks * (BLOCK - 1), BLOCK,
                (double) productNanos[0] / productNanos[1]);
    }

    /**
     * What the second core can give at best at this moment, for comparison with the training
     * step's ratio: the recurrences' products without the rest of the step. {@link #STEPS} steps of
     * z[B, 4H] += h[B, H] . U with U packed, the rows shared between the cores as the recurrences
     * share them ({@link ParallelKernels#forEachStep}, a core done early taking over rows); no
     * cells, no hand-offs between ops, nothing serial. On a host whose other tenants slow a core
     * now and then, this ratio falls with the training's, and the gap between the two is what the
     * step's other work costs.
     */
    private static final class RecurrenceProducts {
        /** About a seed sentence's characters. */
        static final int STEPS = 20;

        private final int rows;
        private final int units;
        private final float[] h;
        private final float[] z;
        private final PackedMatrix u;

        RecurrenceProducts(int rows, int units) {
            this.rows = rows;
            this.units = units;
            Random random = new Random(SeedJob.SEED);
            h = new float[rows * units];
            float[] kernel = new float[units * 4 * units];
            for (int i = 0; i < h.length; i++) {
                h[i] = random.nextFloat() - 0.5f;
            }
            for (int i = 0; i < kernel.length; i++) {
                kernel[i] = (random.nextFloat() - 0.5f) / units;
            }
            z = new float[rows * 4 * units];
            u = Backend.kernels().pack(kernel, 0, 4 * units, units, 4 * units);
        }

        void run(ParallelKernels k) {
            int gates = 4 * units;
            k.forEachStep(rows, RecurrentLayer.MIN_ROWS_PER_CORE, STEPS, (from, to, t) ->
                    k.matmulPacked(h, from * units, units, u, z, from * gates, gates, to - from, false));
        }
    }

    /** The decodings' lines: greedy at batch 1 and 64, greedy at batch 1 in bf16, and the beam's. */
    private void decodingSpeed(Seq2SeqModel model, List<int[]> sources, OptionalDouble ceiling) {
        // Like the reference script: the product's greedy decoder, for a fixed number of steps per
        // sentence, the seed's max_decoder_seq_length (longest target + start + end), no early stop.
        int steps = model.config().maxTargetLength() + 2;
        // One decoding run for the warm-up and the timing, as for beam search below: its weight
        // panels are laid out once, outside the timed pass, as in a translate or serve run. A run
        // made inside the timed pass left the JIT compiling its copies during the pass: 200
        // sentences at batch 1 took 0.76-1.54 ms each in six bench runs, and 0.58-0.70 in four
        // with the run made beforehand.
        Decoding decoding = model.decoding();
        double single = timed(() -> GreedyDecoder.decode(decoding, sources, steps, 1, false)).perPass() * 1000
                / sources.size();
        Passes passes = timed(() -> GreedyDecoder.decode(decoding, sources, steps, 64, false));
        double batched = sources.size() / passes.perPass();
        double flopsPerSecond = passes.productFlops() / passes.seconds();
        System.out.printf(Locale.ROOT, "decoding (greedy, %d steps per sentence): batch 1 %.3f ms per sentence"
                + " (%.0f sentences/s); batch 64 %.0f sentences/s, matrix products %.0f GFLOP/s%s%n", steps, single,
                1000 / single, batched, flopsPerSecond / 1e9, ceiling.isEmpty() ? "" : String.format(Locale.ROOT,
                        ", %.0f%% of the FMA ceiling", 100 * flopsPerSecond / ceiling.getAsDouble()));
        // The same for one sentence with the step matrices in bf16 (half the bytes read per step)
        Decoding bf16 = model.withDecodingWeights(WeightPrecision.BF16).decoding();
        double singleBf16 = timed(() -> GreedyDecoder.decode(bf16, sources, steps, 1, false)).perPass() * 1000
                / sources.size();
        System.out.printf(Locale.ROOT, "decoding (greedy, bf16 step weights, %d steps per sentence): batch 1 %.3f ms"
                + " per sentence (%.0f sentences/s), %.2fx the float32 speed%n", steps, singleBf16, 1000 / singleBf16,
                single / singleBf16);
        if (beam > 1) {
            beamSpeed(decoding, sources, steps);
        }
    }

    /**
     * Beam search for the same fixed number of steps: END is never chosen, so each sentence keeps K
     * live hypotheses to the end (the work of the reference script's beam search), with the
     * choice of the best K of K x V and the state gathered by parent at every step.
     */
    private void beamSpeed(Decoding decoding, List<int[]> sources, int steps) {
        DecodeOptions options = new DecodeOptions(beam, 1, LengthPenalty.NONE, 0, steps, 0);
        double single = timed(() -> BeamSearch.decode(decoding, sources, options, 1, false)).perPass() * 1000
                / sources.size();
        double batched = sources.size() / timed(() -> BeamSearch.decode(decoding, sources, options, 64, false))
                .perPass();
        System.out.printf(Locale.ROOT, "decoding (beam %d, %d steps per sentence): batch 1 %.3f ms per sentence"
                + " (%.0f sentences/s); batch 64 %.0f sentences/s%n", beam, steps, single, 1000 / single, batched);
    }

    /**
     * Passes of {@code decoding}, one after the other: first a warm-up, at least
     * {@link #DECODING_WARM_UP_NANOS} long and until the passes stop getting faster (the last
     * {@link #SETTLED_PASSES} each no more than 5% faster than the best before them; at most
     * {@link #DECODING_WARM_UP_MAX_NANOS}), then the timed ones until {@link #TIMED_NANOS}
     * have (one at least). Each decoding is warmed up right before it is timed: warmed up together
     * (batch 1 and batch 64 in turn, two rounds over the default 200 sentences, a third of a
     * second), the first pass of batch 1 after a pass of batch 64 took 0.8-1.1 ms a sentence and
     * the passes after it 0.57-0.62 ms, and the timed pass was that first one. A model that no
     * training run has warmed up ({@code --model}) needs longer: a word-level model's first pass
     * at batch 1 took 27 ms a sentence, its passes after a second 5.3 ms, and 2.5 ms once warm.
     */
    private static Passes timed(Runnable decoding) {
        long warmUpBegan = System.nanoTime();
        long best = Long.MAX_VALUE;
        int settled = 0;
        while (true) {
            long began = System.nanoTime();
            decoding.run();
            long pass = System.nanoTime() - began;
            settled = pass >= 0.95 * best ? settled + 1 : 0;
            best = Math.min(best, pass);
            long warmedUp = System.nanoTime() - warmUpBegan;
            if (warmedUp >= DECODING_WARM_UP_MAX_NANOS
                    || warmedUp >= DECODING_WARM_UP_NANOS && settled >= SETTLED_PASSES) {
                break;
            }
        }
        long flopsBefore = Backend.kernels().productFlops();
        long began = System.nanoTime();
        int count = 0;
        long elapsed;
        do {
            decoding.run();
            count++;
            elapsed = System.nanoTime() - began;
        } while (elapsed < TIMED_NANOS);
        return new Passes(count, elapsed / 1e9, Backend.kernels().productFlops() - flopsBefore);
    }

    /** How many timed passes {@link #timed} ran, the seconds they took and their matrix products' FLOPs, together. */
    private record Passes(int count, double seconds, long productFlops) {
        double perPass() {
            return seconds / count;
        }
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
