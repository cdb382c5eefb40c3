package dev.seq2seq.translator.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.nn.io.SafeTensors;
import dev.seq2seq.translator.TinyData;
import dev.seq2seq.translator.data.HeldOut;
import dev.seq2seq.translator.data.Level;
import dev.seq2seq.translator.data.Padding;
import dev.seq2seq.translator.data.PairFile;
import dev.seq2seq.translator.data.SentencePair;
import dev.seq2seq.translator.data.Words;
import dev.seq2seq.translator.decode.BatchTranslator;
import dev.seq2seq.translator.model.Architecture;
import dev.seq2seq.translator.model.Cell;
import dev.seq2seq.translator.model.ModelFile;
import dev.seq2seq.translator.model.OptimizerKind;
import dev.seq2seq.translator.model.RateSchedule;
import dev.seq2seq.translator.model.TrainingState.EpochRecord;
import dev.seq2seq.translator.model.TrainingState.TrainingSettings;
import dev.seq2seq.translator.model.TrainingState;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Training end to end on tiny data: it learns, it saves and reloads, it resumes exactly. */
class TrainingTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path folder;

    private static List<String> sources(PairFile pairs) {
        return pairs.pairs().stream().map(SentencePair::source).toList();
    }

    private static List<String> targets(PairFile pairs) {
        return pairs.pairs().stream().map(SentencePair::target).toList();
    }

    /**
     * Trains {@code settings} in {@code file}, stopped after the first batch (as Ctrl-C does) and
     * then resumed to the end; returns the resumed run (whose optimiser is checked by the caller).
     */
    private TrainingRun stoppedAfterOneBatchThenResumed(PairFile pairs, TrainingSettings settings, Cell cell, Path file)
            throws Exception {
        TrainingRun first = TrainingRun.start(pairs, settings, Level.CHAR, cell, 16, Padding.MASKED);
        Trainer stopping = new Trainer(new RunFiles(file), 0, 0, TrainingView.NONE, QUIET);
        stopping.requestStop();
        assertEquals(Trainer.Outcome.INTERRUPTED, stopping.run(first));
        TrainingRun second = TrainingRun.resume(file, ModelFile.load(file), pairs, null);
        assertEquals(1, second.optimizer().iterations(), "the step count comes back");
        new Trainer(new RunFiles(file), 0, 0, TrainingView.NONE, QUIET).run(second);
        return second;
    }

    /** Batch 8, rate 0.005 falling linearly, a quarter held out, no clipping, trained with {@code optimizer}. */
    private static TrainingSettings linear(int epochs, OptimizerKind optimizer) {
        return new TrainingSettings("tiny", null, 0, 0.25, 8, 0.005f, 0f, true, 7, epochs, 0, HeldOut.ValidationBy.END,
                0, 0, 0, 1f, 0f, RateSchedule.LINEAR, optimizer);
    }

    /** The same training and validation losses, epoch by epoch, to the last bit. */
    private static void assertSameLosses(List<EpochRecord> expected, List<EpochRecord> actual) {
        assertEquals(expected.size(), actual.size());
        for (int e = 0; e < expected.size(); e++) {
            assertEquals(expected.get(e).trainLoss(), actual.get(e).trainLoss(), 0.0, "training loss, epoch " + (e + 1));
            assertEquals(expected.get(e).validationLoss(), actual.get(e).validationLoss(), 0.0,
                    "validation loss, epoch " + (e + 1));
        }
    }

    private TrainingRun trainTo(PairFile pairs, TrainingSettings settings, Level level, Cell cell, int latent,
                                Padding padding, Path file) throws Exception {
        TrainingRun run = TrainingRun.start(pairs, settings, level, cell, latent, padding);
        Trainer.Outcome outcome = new Trainer(new RunFiles(file), 0, 0, TrainingView.NONE, QUIET).run(run);
        assertEquals(Trainer.Outcome.COMPLETED, outcome);
        return run;
    }

    @Test
    void aTinyModelLearnsTwentyPairsByHeartAndKeepsThemThroughASave() throws Exception {
        PairFile pairs = TinyData.distinctPairs(20);
        Path file = folder.resolve("tiny.safetensors");
        TrainingRun run = trainTo(pairs, TinyData.settings(150, 20, 0.01f, 0), Level.CHAR, Cell.LSTM, 64,
                Padding.MASKED, file);
        BatchTranslator translator = new BatchTranslator(run.model(), BatchTranslator.defaultMaxLength(run.model()), 8);
        List<String> translations = translator.translate(sources(pairs), QUIET);
        assertEquals(targets(pairs), translations, "the model should know its 20 training pairs by heart");
        assertTrue(new HashSet<>(translations).size() > 15, "different inputs, different outputs: " + translations);

        ModelFile.Loaded loaded = ModelFile.load(file);
        List<String> reloaded = new BatchTranslator(loaded.model(), BatchTranslator.defaultMaxLength(loaded.model()), 3)
                .translate(sources(pairs), QUIET);
        assertEquals(translations, reloaded, "save -> load -> the same translations (in other batch sizes too)");
        assertTrue(Files.exists(new RunFiles(file).best()), "best checkpoint written");
    }

    /**
     * 24 pairs to learn by heart, then 6 (the validation split's 20%) whose "translations" are
     * other sentences' targets: the validation loss must turn up once the 24 are memorised.
     */
    private static PairFile memorisedThenMismatched() {
        List<SentencePair> distinct = TinyData.distinctPairs(30).pairs();
        List<SentencePair> pairs = new java.util.ArrayList<>(distinct.subList(0, 24));
        for (int i = 24; i < 30; i++) {
            pairs.add(new SentencePair(distinct.get(i).source(), distinct.get(53 - i).target(), i + 1));
        }
        return new PairFile("tiny", "tiny", TinyData.sha256(pairs.toString()), pairs, List.of());
    }

    @Test
    void earlyStoppingEndsTheRunWhenValidationStopsImprovingAndKeepsTheBestEpoch() throws Exception {
        PairFile file = memorisedThenMismatched();
        TrainingRun run = TrainingRun.start(file, TinyData.settings(300, 8, 0.01f, 0.2), Level.CHAR, Cell.LSTM, 32,
                Padding.MASKED);
        Path model = folder.resolve("early.safetensors");
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        Trainer.Outcome outcome = new Trainer(new RunFiles(model), 0, 3, TrainingView.NONE, new PrintStream(printed, true))
                .run(run.corpus(), run.model(), run.optimizer(), run.state());
        assertEquals(Trainer.Outcome.STOPPED_EARLY, outcome, printed.toString());
        List<EpochRecord> history = ModelFile.load(model).training().history();
        assertTrue(history.size() < 300, "stopped before the planned 300 epochs");
        EpochRecord best = history.stream().min(java.util.Comparator.comparingDouble(EpochRecord::validationLoss))
                .orElseThrow();
        assertEquals(history.size() - 3, best.epoch(), "three epochs without improvement after the best");
        assertEquals(best.epoch(), ModelFile.load(new RunFiles(model).best()).training().history().size(),
                "the best checkpoint holds the best epoch");
        assertTrue(printed.toString().contains("early stopping: the validation loss has not improved for 3 epochs"),
                printed.toString());
    }

    @Test
    void theWarmUpChangesNothing() throws Exception {
        TrainingRun run = TrainingRun.start(TinyData.distinctPairs(40), TinyData.settings(1, 8, 0.01f, 0.25), Level.CHAR,
                Cell.LSTM, 16, Padding.MASKED);
        List<float[]> before = run.model().parameters().stream().map(Tensor::toArray).toList();
        double seconds = Trainer.warmUp(run.model(), run.corpus(), 3, 8, true);
        assertTrue(seconds > 0);
        List<Tensor> parameters = run.model().parameters();
        for (int p = 0; p < parameters.size(); p++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(before.get(p), parameters.get(p).toArray(),
                    parameters.get(p).name() + " changed");
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[parameters.get(p).size()],
                    parameters.get(p).grad().toArray(), parameters.get(p).name() + " has a gradient left");
        }
        assertEquals(0, run.optimizer().iterations());
    }

    @Test
    void theLearningRateDecaysOnceForEveryEpochThatDidNotImprove() {
        TrainingSettings settings = new TrainingSettings("tiny", null, 0, 0.2, 8, 0.01f, 0f, true, 7, 10, 0,
                HeldOut.ValidationBy.END, 300, 0, 0, 0.5f, 0f, RateSchedule.PLATEAU,
                OptimizerKind.RMSPROP);
        List<EpochRecord> byChrF = List.of(new EpochRecord(1, 3, 2.5, 0.4, 30), new EpochRecord(2, 2, 2.4, 0.5, 32),
                new EpochRecord(3, 2, 2.3, 0.5, 31), new EpochRecord(4, 2, 2.2, 0.5, 33),
                new EpochRecord(5, 2, 2.1, 0.5, 33));
        assertEquals(0.01f, Trainer.learningRate(settings, List.of()));
        assertEquals(0.01f, Trainer.learningRate(settings, byChrF.subList(0, 2)));
        assertEquals(0.005f, Trainer.learningRate(settings, byChrF.subList(0, 3)), "epoch 3 fell back");
        assertEquals(0.005f, Trainer.learningRate(settings, byChrF.subList(0, 4)), "epoch 4 is a new best");
        assertEquals(0.0025f, Trainer.learningRate(settings, byChrF), "epoch 5 only equals the best");
        // Without a chrF2 the validation loss decides (lower is better): epochs 2 and 3 did not improve.
        List<EpochRecord> byLoss = List.of(new EpochRecord(1, 3, 2.5, 0.4), new EpochRecord(2, 2, 2.6, 0.5),
                new EpochRecord(3, 2, 2.5, 0.5), new EpochRecord(4, 2, 2.4, 0.5));
        assertEquals(0.0025f, Trainer.learningRate(settings, byLoss));
        assertEquals(0.01f, Trainer.learningRate(TinyData.settings(10, 8, 0.01f, 0.2), byLoss), "no decay asked");
    }

    @Test
    void aDecayingRunResumesAtTheRateAnUninterruptedOneHas() throws Exception {
        // once the training pairs are memorised, the validation loss turns up, and the rate must fall
        PairFile file = memorisedThenMismatched();
        java.util.function.IntFunction<TrainingSettings> settings = epochs -> new TrainingSettings("tiny", null, 0,
                0.2, 8, 0.01f, 0f, true, 7, epochs, 0, HeldOut.ValidationBy.END, 0, 0, 0, 0.5f, 0f, RateSchedule.PLATEAU,
                OptimizerKind.RMSPROP);

        Path straight = folder.resolve("straight.safetensors");
        TrainingRun run = TrainingRun.start(file, settings.apply(40), Level.CHAR, Cell.LSTM, 32, Padding.MASKED);
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        new Trainer(new RunFiles(straight), 0, 0, TrainingView.NONE, new PrintStream(printed, true))
                .run(run.corpus(), run.model(), run.optimizer(), run.state());
        List<EpochRecord> expected = ModelFile.load(straight).training().history();
        float finalRate = Trainer.learningRate(settings.apply(40), expected.subList(0, expected.size() - 1));
        assertTrue(finalRate <= 0.01f * 0.5f * 0.5f, "the validation loss should stop improving at least twice: "
                + printed);
        assertEquals(finalRate, run.optimizer().learningRate(), "the last epoch ran at the scheduled rate");
        assertTrue(printed.toString().contains("learning rate 0.005 from epoch"), printed.toString());
        assertTrue(printed.toString().contains("learning rate 0.0025 from epoch"), "plain decimals: " + printed);

        Path resumed = folder.resolve("resumed.safetensors");
        TrainingRun first = TrainingRun.start(file, settings.apply(20), Level.CHAR, Cell.LSTM, 32, Padding.MASKED);
        new Trainer(new RunFiles(resumed), 0, 0, TrainingView.NONE, QUIET).run(first.corpus(), first.model(),
                first.optimizer(), first.state());
        TrainingRun second = TrainingRun.resume(resumed, ModelFile.load(resumed), file, 40);
        new Trainer(new RunFiles(resumed), 0, 0, TrainingView.NONE, QUIET).run(second.corpus(), second.model(),
                second.optimizer(), second.state());
        List<EpochRecord> history = ModelFile.load(resumed).training().history();
        for (int e = 0; e < expected.size(); e++) {
            assertEquals(expected.get(e).trainLoss(), history.get(e).trainLoss(), 0.0, "training loss, epoch " + (e + 1));
            assertEquals(expected.get(e).validationLoss(), history.get(e).validationLoss(), 0.0,
                    "validation loss, epoch " + (e + 1));
        }
    }

    @Test
    void theLinearScheduleFallsStepByStepToZeroAfterTheLastPlannedStep() {
        TrainingSettings linear = new TrainingSettings("tiny", null, 0, 0.2, 8, 0.01f, 0f, true, 7, 4, 0,
                HeldOut.ValidationBy.END, 0, 0, 0, 1f, 0f, RateSchedule.LINEAR, OptimizerKind.RMSPROP);
        // 4 epochs of 5 steps: step k of 20 runs at rate x (20 - k) / 20
        assertEquals(0.01f, Trainer.stepRate(linear, 0.01f, 0, 5));
        assertEquals(0.005f, Trainer.stepRate(linear, 0.01f, 10, 5));
        assertEquals(0.0005f, Trainer.stepRate(linear, 0.01f, 19, 5), 1e-10f);
        assertEquals(0.0025f, Trainer.stepRate(linear, 0.005f, 10, 5), "a decayed epoch rate falls along its own line");
        assertThrows(IllegalArgumentException.class, () -> Trainer.stepRate(linear, 0.01f, 20, 5));
        TrainingSettings plateau = TinyData.settings(4, 8, 0.01f, 0.2);
        assertEquals(0.01f, Trainer.stepRate(plateau, 0.01f, 19, 5), "the plateau schedule keeps the epoch's rate");
    }

    @Test
    void aLinearScheduleRunResumesOnTheSameLineAndIsSaved() throws Exception {
        PairFile pairs = TinyData.distinctPairs(40);
        java.util.function.IntFunction<TrainingSettings> settings = epochs -> linear(epochs, OptimizerKind.RMSPROP);
        Path straight = folder.resolve("linear.safetensors");
        TrainingRun run = trainTo(pairs, settings.apply(3), Level.CHAR, Cell.GRU, 16, Padding.MASKED, straight);
        List<EpochRecord> expected = ModelFile.load(straight).training().history();
        // 30 training pairs in batches of 8: 4 steps an epoch, 12 in all; the last ran at 1/12 of the rate
        assertEquals(0.005f / 12, run.optimizer().learningRate(), 1e-9f);
        assertEquals(RateSchedule.LINEAR, ModelFile.load(straight).training().settings().rateSchedule());

        Path plateau = folder.resolve("plateau.safetensors");
        trainTo(pairs, TinyData.settings(3, 8, 0.005f, 0.25), Level.CHAR, Cell.GRU, 16, Padding.MASKED, plateau);
        List<EpochRecord> constant = ModelFile.load(plateau).training().history();
        assertEquals(expected.get(0).trainLoss(), constant.get(0).trainLoss(), 1e-2,
                "the first epoch runs at nearly the full rate");
        assertTrue(expected.get(2).trainLoss() != constant.get(2).trainLoss(), "the rates differ by the third epoch");

        // stopped after the first batch (as Ctrl-C does), then resumed: the same line, bit for bit
        Path interrupted = folder.resolve("linear-interrupted.safetensors");
        stoppedAfterOneBatchThenResumed(pairs, settings.apply(3), Cell.GRU, interrupted);
        assertSameLosses(expected, ModelFile.load(interrupted).training().history());

        // A checkpoint written before the option existed has no such field: its rate changed between epochs only.
        SafeTensors.Contents contents = SafeTensors.read(straight);
        java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>(contents.metadata());
        com.google.gson.JsonObject state = com.google.gson.JsonParser.parseString(metadata.get("training"))
                .getAsJsonObject();
        state.getAsJsonObject("settings").remove("rateSchedule");
        state.getAsJsonObject("settings").remove("optimizer");
        metadata.put("training", state.toString());
        Path old = folder.resolve("old-schedule.safetensors");
        SafeTensors.write(old, metadata, contents.tensors().values());
        assertEquals(RateSchedule.PLATEAU, ModelFile.load(old).training().settings().rateSchedule());
        assertEquals(OptimizerKind.RMSPROP, ModelFile.load(old).training().settings().optimizer(),
                "RMSprop was the only optimiser before the option");
    }

    @Test
    void adamTrainsSavesItsMomentsAndResumesExactly() throws Exception {
        PairFile pairs = TinyData.distinctPairs(40);
        java.util.function.IntFunction<TrainingSettings> settings = epochs -> linear(epochs, OptimizerKind.ADAM);
        Path straight = folder.resolve("adam.safetensors");
        TrainingRun run = trainTo(pairs, settings.apply(3), Level.CHAR, Cell.LSTM, 16, Padding.MASKED, straight);
        assertTrue(run.optimizer() instanceof dev.seq2seq.nn.optim.Adam);
        List<EpochRecord> expected = ModelFile.load(straight).training().history();
        assertTrue(expected.get(2).trainLoss() < expected.get(0).trainLoss(), "the loss falls: " + expected);
        assertEquals(OptimizerKind.ADAM, ModelFile.load(straight).training().settings().optimizer());
        java.util.Map<String, String> metadata = SafeTensors.read(straight).metadata();
        assertEquals("adam", metadata.get("optimizer"));
        assertTrue(SafeTensors.read(straight).tensors().containsKey("decoder/lstm/kernel/adam_v"),
                "both moments are saved: " + SafeTensors.read(straight).tensors().keySet());

        Path plain = folder.resolve("rmsprop-for-adam.safetensors");
        trainTo(pairs, TinyData.settings(3, 8, 0.005f, 0.25), Level.CHAR, Cell.LSTM, 16, Padding.MASKED, plain);
        assertTrue(ModelFile.load(plain).training().history().get(0).trainLoss() != expected.get(0).trainLoss(),
                "another optimiser, other losses");

        // stopped after the first batch, then resumed: the moments and the step count come back
        Path interrupted = folder.resolve("adam-interrupted.safetensors");
        TrainingRun resumed = stoppedAfterOneBatchThenResumed(pairs, settings.apply(3), Cell.LSTM, interrupted);
        assertTrue(resumed.optimizer() instanceof dev.seq2seq.nn.optim.Adam);
        assertSameLosses(expected, ModelFile.load(interrupted).training().history());
    }

    @Test
    void aWeightAverageIsWhatIsValidatedSavedAndResumed() throws Exception {
        PairFile pairs = TinyData.distinctPairs(40);
        java.util.function.IntFunction<TrainingSettings> settings = epochs -> new TrainingSettings("tiny", null, 0,
                0.25, 8, 0.005f, 0f, true, 7, epochs, 0, HeldOut.ValidationBy.END, 0, 0, 0, 1f, 0f,
                RateSchedule.PLATEAU, OptimizerKind.RMSPROP, 0.9f);
        Path straight = folder.resolve("averaged.safetensors");
        TrainingRun run = trainTo(pairs, settings.apply(3), Level.CHAR, Cell.LSTM, 16, Padding.MASKED, straight);
        List<EpochRecord> expected = ModelFile.load(straight).training().history();

        // the average does not touch training: the same training losses and weights as without it
        Path plain = folder.resolve("not-averaged.safetensors");
        TrainingRun unaveraged = trainTo(pairs, TinyData.settings(3, 8, 0.005f, 0.25), Level.CHAR, Cell.LSTM, 16,
                Padding.MASKED, plain);
        List<EpochRecord> without = ModelFile.load(plain).training().history();
        for (int e = 0; e < 3; e++) {
            assertEquals(without.get(e).trainLoss(), expected.get(e).trainLoss(), 0.0, "training loss, epoch " + (e + 1));
        }
        assertTrue(without.get(2).validationLoss() != expected.get(2).validationLoss(), "the averages validate");
        assertEquals(java.util.Arrays.toString(unaveraged.model().parameters().get(0).toArray()),
                java.util.Arrays.toString(run.model().parameters().get(0).toArray()), "training weights as without");

        // the file holds the weights and their averages; loading it gives the averages, which were validated
        SafeTensors.Contents contents = SafeTensors.read(straight);
        assertEquals("0.9", contents.metadata().get("average"));
        Tensor weights = contents.tensors().get("decoder/lstm/kernel");
        Tensor averages = contents.tensors().get("decoder/lstm/kernel/average");
        assertTrue(!java.util.Arrays.equals(weights.toArray(), averages.toArray()), "averages are not the weights");
        ModelFile.Loaded loaded = ModelFile.load(straight);
        Tensor loadedKernel = loaded.model().parameters().stream()
                .filter(p -> p.name().equals("decoder/lstm/kernel")).findFirst().orElseThrow();
        assertEquals(java.util.Arrays.toString(averages.toArray()), java.util.Arrays.toString(loadedKernel.toArray()));
        var validation = dev.seq2seq.translator.eval.Evaluation.teacherForced(loaded.model(),
                run.corpus().validation(), Trainer.VALIDATION_BATCH);
        assertEquals(expected.get(2).validationLoss(), validation.lossSum() / validation.positions(), 0.0,
                "the history's figure is the averages'");

        // the best epoch's file holds the averages as its weights, and nothing else
        SafeTensors.Contents best = SafeTensors.read(new RunFiles(straight).best());
        assertTrue(!best.metadata().containsKey("average"));
        assertTrue(best.tensors().keySet().stream().noneMatch(name -> name.endsWith("/average")), "no averages beside");

        // stopped after the first batch, then resumed: the same losses, and the same averages to the bit
        Path interrupted = folder.resolve("averaged-interrupted.safetensors");
        stoppedAfterOneBatchThenResumed(pairs, settings.apply(3), Cell.LSTM, interrupted);
        assertSameLosses(expected, ModelFile.load(interrupted).training().history());
        assertEquals(java.util.Arrays.toString(averages.toArray()), java.util.Arrays.toString(
                SafeTensors.read(interrupted).tensors().get("decoder/lstm/kernel/average").toArray()));

        // the averages come with the run: training without them is refused
        TrainingRun again = TrainingRun.start(pairs, settings.apply(1), Level.CHAR, Cell.LSTM, 16, Padding.MASKED);
        assertThrows(IllegalArgumentException.class, () -> new Trainer(new RunFiles(folder.resolve("no.safetensors")),
                0, 0, TrainingView.NONE, QUIET).run(again.corpus(), again.model(), again.optimizer(), again.state()));

        // a resumable file without averages cannot resume a run that keeps them
        Path mismatched = folder.resolve("mismatched.safetensors");
        java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>(contents.metadata());
        metadata.remove("average");
        SafeTensors.write(mismatched, metadata, contents.tensors().values().stream()
                .filter(t -> !t.name().endsWith("/average")).toList());
        assertThrows(dev.seq2seq.nn.io.CheckpointException.class,
                () -> TrainingRun.resume(mismatched, ModelFile.load(mismatched), pairs, null));
    }

    @Test
    void anInterruptedRunResumesExactly() throws Exception {
        PairFile pairs = TinyData.distinctPairs(40);
        TrainingSettings settings = TinyData.settings(4, 8, 0.005f, 0.25);
        Path straight = folder.resolve("straight.safetensors");
        trainTo(pairs, settings, Level.CHAR, Cell.GRU, 16, Padding.MASKED, straight);
        List<EpochRecord> expected = ModelFile.load(straight).training().history();

        // Stopped after the first batch (as Ctrl-C does), then resumed twice: once inside epoch 1,
        // then with a longer plan after epoch 2.
        Path interrupted = folder.resolve("interrupted.safetensors");
        TrainingRun first = TrainingRun.start(pairs, TinyData.settings(2, 8, 0.005f, 0.25), Level.CHAR, Cell.GRU, 16,
                Padding.MASKED);
        Trainer stopping = new Trainer(new RunFiles(interrupted), 0, 0, TrainingView.NONE, QUIET);
        stopping.requestStop();
        assertEquals(Trainer.Outcome.INTERRUPTED, stopping.run(first));
        TrainingState paused = ModelFile.load(interrupted).training();
        assertEquals(0, paused.epochsDone());
        assertEquals(1, paused.batchesDone());

        TrainingRun second = TrainingRun.resume(interrupted, ModelFile.load(interrupted), pairs, null);
        new Trainer(new RunFiles(interrupted), 0, 0, TrainingView.NONE, QUIET).run(second.corpus(), second.model(), second.optimizer(), second.state());
        TrainingRun third = TrainingRun.resume(interrupted, ModelFile.load(interrupted), pairs, 4);
        new Trainer(new RunFiles(interrupted), 0, 0, TrainingView.NONE, QUIET).run(third.corpus(), third.model(), third.optimizer(), third.state());
        List<EpochRecord> resumed = ModelFile.load(interrupted).training().history();

        assertEquals(expected.size(), resumed.size());
        for (int e = 0; e < expected.size(); e++) {
            assertEquals(expected.get(e).trainLoss(), resumed.get(e).trainLoss(), 0.0, "training loss, epoch " + (e + 1));
            assertEquals(expected.get(e).validationLoss(), resumed.get(e).validationLoss(), 0.0,
                    "validation loss, epoch " + (e + 1));
        }
    }

    @Test
    void aNonFiniteLossStopsTrainingAndKeepsTheLastGoodCheckpoint() throws Exception {
        PairFile pairs = TinyData.distinctPairs(16);
        Path file = folder.resolve("diverging.safetensors");
        trainTo(pairs, TinyData.settings(1, 8, 0.01f, 0), Level.CHAR, Cell.LSTM, 16, Padding.MASKED, file);
        byte[] good = Files.readAllBytes(file);
        TrainingRun resumed = TrainingRun.resume(file, ModelFile.load(file), pairs, 3);
        resumed.model().parameters().get(2).setAt(0, Float.NaN); // the encoder's bias turns NaN
        TrainingDiverged stop = org.junit.jupiter.api.Assertions.assertThrows(TrainingDiverged.class,
                () -> new Trainer(new RunFiles(file), 0, 0, TrainingView.NONE, QUIET).run(resumed.corpus(), resumed.model(), resumed.optimizer(),
                        resumed.state()));
        assertTrue(stop.getMessage().contains("step 3 (epoch 2, batch 1)"), stop.getMessage());
        assertTrue(stop.getMessage().contains("NaN") && stop.getMessage().contains("encoder/lstm/bias"),
                stop.getMessage());
        org.junit.jupiter.api.Assertions.assertArrayEquals(good, Files.readAllBytes(file),
                "the last good checkpoint must stay as it was");
    }

    @Test
    void wordsSplitAtApostrophesAndHyphensTrainAndComeBackFromTheCheckpoint() throws Exception {
        List<SentencePair> pairs = List.of(new SentencePair("Help us.", "Aidez-nous !", 1),
                new SentencePair("Help me.", "Aidez-moi !", 2), new SentencePair("I have it.", "Je l'ai.", 3),
                new SentencePair("I see the man.", "Je vois l'homme.", 4), new SentencePair("A man.", "Un homme.", 5),
                new SentencePair("Watch us.", "Regardez-nous !", 6));
        PairFile file = new PairFile("tiny", "tiny", TinyData.sha256(pairs.toString()), pairs, List.of());
        TrainingSettings settings = new TrainingSettings("tiny", null, 0, 0, 6, 0.01f, 1f, true, 3, 80, 0,
                HeldOut.ValidationBy.END, 0, 0, 0, 1f, 0f, RateSchedule.PLATEAU,
                OptimizerKind.RMSPROP);
        Path model = folder.resolve("split.safetensors");
        TrainingRun run = TrainingRun.start(file, settings, Architecture.plain(Level.WORD, Cell.LSTM, 32, Padding.MASKED)
                .withWords(Words.SPLIT));
        new Trainer(new RunFiles(model), 0, 0, TrainingView.NONE, QUIET).run(run.corpus(), run.model(),
                run.optimizer(), run.state());
        assertTrue(run.model().targetVocabulary().contains("-nous") && run.model().targetVocabulary().contains("homme"),
                "the clitics and the elided word are tokens of their own");
        List<String> translations = new BatchTranslator(run.model(), 20, 6).translate(sources(file), QUIET);
        assertEquals(targets(file), translations, "the six pairs, learnt by heart and joined back as written");

        ModelFile.Loaded loaded = ModelFile.load(model);
        assertEquals(Words.SPLIT, loaded.model().config().words());
        assertEquals(translations, new BatchTranslator(loaded.model(), 20, 6).translate(sources(file), QUIET));

        // A checkpoint written before the rule was a choice has no such field: its words are whole.
        SafeTensors.Contents contents = SafeTensors.read(model);
        java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>(contents.metadata());
        com.google.gson.JsonObject config = com.google.gson.JsonParser.parseString(metadata.get("config"))
                .getAsJsonObject();
        config.remove("words");
        metadata.put("config", config.toString());
        Path old = folder.resolve("old.safetensors");
        SafeTensors.write(old, metadata, contents.tensors().values());
        assertEquals(Words.WHOLE, ModelFile.load(old).model().config().words());
    }

    @Test
    void labelSmoothingTrainsRecordsItselfAndLeavesTheValidationLossPlain() throws Exception {
        PairFile file = TinyData.distinctPairs(12);
        java.util.function.DoubleFunction<TrainingSettings> settings = smoothing -> new TrainingSettings("tiny", null,
                0, 0.25, 6, 0.01f, 1f, true, 3, 60, 0, HeldOut.ValidationBy.END, 0, 0, 0, 1f, (float) smoothing,
                RateSchedule.PLATEAU,
                OptimizerKind.RMSPROP);
        Path smoothed = folder.resolve("smoothed.safetensors");
        TrainingRun run = TrainingRun.start(file, settings.apply(0.1), Level.CHAR, Cell.LSTM, 32, Padding.MASKED);
        new Trainer(new RunFiles(smoothed), 0, 0, TrainingView.NONE, QUIET).run(run.corpus(), run.model(),
                run.optimizer(), run.state());
        List<String> training = run.corpus().training().stream().map(e -> e.pair().source()).toList();
        List<String> expected = run.corpus().training().stream().map(e -> e.pair().target()).toList();
        assertEquals(expected, new BatchTranslator(run.model(), 40, 6).translate(training, QUIET),
                "the training pairs are learnt by heart all the same");

        ModelFile.Loaded loaded = ModelFile.load(smoothed);
        assertEquals(0.1f, loaded.training().settings().labelSmoothing());
        EpochRecord last = loaded.training().history().get(59);
        // Against smoothed targets even a perfect model pays about e * log V; the true targets' loss does not.
        double floor = 0.1 * Math.log(run.model().targetVocabulary().size()) * 0.5;
        assertTrue(last.trainLoss() > floor, "the training loss is the smoothed one: " + last.trainLoss());
        dev.seq2seq.translator.model.Seq2SeqModel.BatchStats plain = run.model().measure(run.model().batch(run.corpus().training()));
        double plainLoss = plain.lossSum() / plain.positions();
        assertTrue(plainLoss < last.trainLoss(), plainLoss + " against " + last.trainLoss());

        // A checkpoint written before the option existed has no such field: its targets were one-hot.
        SafeTensors.Contents contents = SafeTensors.read(smoothed);
        java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>(contents.metadata());
        com.google.gson.JsonObject state = com.google.gson.JsonParser.parseString(metadata.get("training"))
                .getAsJsonObject();
        state.getAsJsonObject("settings").remove("labelSmoothing");
        metadata.put("training", state.toString());
        Path old = folder.resolve("old-smoothing.safetensors");
        SafeTensors.write(old, metadata, contents.tensors().values());
        assertEquals(0f, ModelFile.load(old).training().settings().labelSmoothing());
    }

    @ParameterizedTest(name = "{0} {1} teacher forcing={2} padding={3}")
    @CsvSource({"WORD,LSTM,true,MASKED", "CHAR,GRU,true,MASKED", "CHAR,LSTM,false,MASKED", "CHAR,LSTM,true,KERAS",
            "WORD,GRU,false,KERAS", "BPE,LSTM,true,MASKED"})
    void everyVariantTrainsAndTranslates(Level level, Cell cell, boolean teacherForcing, Padding padding)
            throws Exception {
        PairFile pairs = TinyData.distinctPairs(12);
        // Without teacher forcing the decoder learns from its own early mistakes: it needs longer.
        int epochs = teacherForcing ? 60 : 200;
        TrainingSettings settings = new TrainingSettings("tiny", null, 0, 0, 12, 0.01f, 1f, teacherForcing, 3, epochs,
                0, HeldOut.ValidationBy.END, 0, 0, level == Level.BPE ? 40 : 0, 1f, 0f, RateSchedule.PLATEAU,
                OptimizerKind.RMSPROP);
        Path file = folder.resolve(level + "-" + cell + "-" + teacherForcing + "-" + padding + ".safetensors");
        TrainingRun run = trainTo(pairs, settings, level, cell, 32, padding, file);
        List<EpochRecord> history = ModelFile.load(file).training().history();
        assertTrue(history.get(history.size() - 1).trainLoss() < 0.5 * history.get(0).trainLoss(),
                "the loss should fall: " + history.get(0).trainLoss() + " -> "
                        + history.get(history.size() - 1).trainLoss());
        List<String> translations = new BatchTranslator(run.model(), BatchTranslator.defaultMaxLength(run.model()), 4)
                .translate(sources(pairs), QUIET);
        int right = 0;
        for (int i = 0; i < translations.size(); i++) {
            right += translations.get(i).equals(run.model().targetTokenizer().normalize(targets(pairs).get(i))) ? 1 : 0;
        }
        assertTrue(right >= 6, "at least half of the 12 training pairs should come back: " + translations);

        ModelFile.Loaded loaded = ModelFile.load(file);
        assertEquals(run.model().config(), loaded.model().config(), "the configuration (merges included) is saved");
        if (level == Level.BPE) {
            int merges = loaded.model().config().targetMerges().size();
            assertTrue(merges >= 1 && merges <= 40, "at most --merges, and as many as pairs occur twice: " + merges);
        }
        assertEquals(translations, new BatchTranslator(loaded.model(), BatchTranslator.defaultMaxLength(loaded.model()), 4)
                .translate(sources(pairs), QUIET), "the saved model translates the same");
    }
}
