package dev.seq2seq.nn.attention;

import static dev.seq2seq.engine.GradCheck.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.ShapeOps;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.ParallelKernels;
import dev.seq2seq.nn.rnn.LSTM;
import dev.seq2seq.nn.rnn.LSTMState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * {@link InputFeedingStep} against the ops it fuses (the LSTM's step with input feeding, then
 * {@link GlobalAttention#attend}), to the bit: h, c, h~ and the weights, and the gradients of the
 * state, the feed, the encoder outputs, a word decoder's projection and every parameter, from a
 * loss that reads all four results. Dot and general scores; a character decoder's token rows and
 * a word decoder's projection; padded sources and not; batches of 1, 5 (one part), 17 (cut
 * unevenly) and 64, on one kernel thread and on all. Then central differences on a small step.
 */
class InputFeedingStepTest {
    private static final int STEPS = 6;
    private static final int UNITS = 48;
    private static final int VOCABULARY = 11;

    /** The model around one step: a decoder LSTM reading [tokens ; feed], and attention. */
    private record Model(LSTM lstm, GlobalAttention attention, boolean words, int units) {
        static Model of(GlobalAttention.Score score, boolean words) {
            return of(score, words, UNITS);
        }

        static Model of(GlobalAttention.Score score, boolean words, int units) {
            int tokenInputs = words ? 20 : VOCABULARY;
            return new Model(new LSTM("decoder", tokenInputs + units, units, 70),
                    new GlobalAttention("attention", score, units, 80), words, units);
        }

        List<Tensor> parameters() {
            List<Tensor> all = new ArrayList<>(lstm.parameters());
            all.addAll(attention.parameters());
            return all;
        }

        int tokenInputs() {
            return lstm.inputSize() - units;
        }
    }

    /** The inputs of one step. */
    private record Inputs(int[] ids, Tensor projection, Tensor feed, Tensor h, Tensor c, Tensor outputs,
                          int[] lengths) {
        static Inputs of(Model model, int batch, boolean padded) {
            int[] ids = new int[batch];
            int[] lengths = new int[batch];
            for (int b = 0; b < batch; b++) {
                ids[b] = (b * 7 + 3) % model.tokenInputs();
                lengths[b] = 1 + (b * 5) % STEPS;
            }
            // a word decoder's projection: what projectLeadingInputs would give, any values will do here
            int units = model.units();
            Tensor projection = model.words() ? Tensor.uniform(61, -1, 1, batch, 4 * units).requireGrad() : null;
            return new Inputs(ids, projection, Tensor.uniform(62, -1, 1, batch, units).requireGrad(),
                    Tensor.uniform(63, -1, 1, batch, units).requireGrad(),
                    Tensor.uniform(64, -1, 1, batch, units).requireGrad(),
                    Tensor.uniform(65, -1, 1, STEPS * batch, units).requireGrad(), padded ? lengths : null);
        }

        List<Tensor> tensors() {
            List<Tensor> all = new ArrayList<>(List.of(feed, h, c, outputs));
            if (projection != null) {
                all.add(projection);
            }
            return all;
        }
    }

    /** h, c, h~, a, by the fused op or by the separate ones. */
    private static Tensor[] step(boolean fused, Model model, Inputs in) {
        GlobalAttention.Memory memory = model.attention().memory(in.outputs(), STEPS, in.lengths());
        LSTM lstm = model.lstm();
        if (fused) {
            Tensor kernel = lstm.kernel();
            InputFeedingStep.Tokens tokens = model.words() ? InputFeedingStep.Tokens.projected(in.projection())
                    : InputFeedingStep.Tokens.lookedUp(in.ids(), kernel.rows(0, model.tokenInputs()), lstm.bias());
            InputFeedingStep.Result result = model.attention().stepLSTM(tokens, in.feed(), in.h(), in.c(),
                    new InputFeedingStep.Recurrence(kernel.rows(model.tokenInputs(), lstm.inputSize()),
                            lstm.recurrentKernel()), memory);
            return new Tensor[] {result.h(), result.c(), result.attentional(), result.weights()};
        }
        LSTMState state = new LSTMState(in.h(), in.c());
        LSTMState next = model.words() ? lstm.stepWithProjection(state, in.projection(), in.feed())
                : lstm.stepWithFeed(state, in.ids(), in.feed());
        GlobalAttention.Step attended = model.attention().attend(next.h(), memory);
        return new Tensor[] {next.h(), next.c(), attended.attentional(), attended.weights()};
    }

    /**
     * Two sequences of {@code length} steps from the same state, each step fed the one before's
     * h, c and h~ and its own tokens, through the fused op or the separate ones; a loss reading
     * every step's four results; then the gradients of the inputs and the parameters.
     */
    private static List<float[]> runSequences(boolean fused, Model model, Inputs in, int length) {
        List<Tensor> gradients = new ArrayList<>(in.tensors());
        gradients.addAll(model.parameters());
        gradients.forEach(Tensor::zeroGrad);
        Tape tape = new Tape();
        if (fused) { // the fused steps' weight gradients stacked, against the separate ops' summed step by step
            tape.stackProductGradientsOf(model.parameters());
        }
        try (Tape.Scope ignored = tape.activate()) {
            Tensor loss = null;
            for (int sequence = 0; sequence < 2; sequence++) {
                Inputs at = in;
                for (int t = 0; t < length; t++) {
                    Tensor[] out = step(fused, model, at);
                    for (int i = 0; i < out.length; i++) {
                        Tensor weights = Tensor.uniform(100 * sequence + 10 * t + i, -1, 1, out[i].shape());
                        Tensor term = MatrixOps.sum(MatrixOps.mul(out[i], weights));
                        loss = loss == null ? term : MatrixOps.add(loss, term);
                    }
                    int[] ids = new int[at.ids().length];
                    for (int b = 0; b < ids.length; b++) {
                        ids[b] = (at.ids()[b] + 3 + sequence) % model.tokenInputs();
                    }
                    at = new Inputs(ids, at.projection(), out[2], out[0], out[1], at.outputs(), at.lengths());
                }
            }
            tape.backward(loss);
        }
        List<float[]> results = new ArrayList<>();
        for (Tensor t : gradients) {
            results.add(t.grad().toArray());
        }
        return results;
    }

    /** The four results, then the gradients of the inputs and the parameters, from a loss reading all four. */
    private static List<float[]> run(boolean fused, Model model, Inputs in) {
        List<Tensor> gradients = new ArrayList<>(in.tensors());
        gradients.addAll(model.parameters());
        gradients.forEach(Tensor::zeroGrad);
        List<float[]> results = new ArrayList<>();
        Tape tape = new Tape();
        try (Tape.Scope ignored = tape.activate()) {
            Tensor[] out = step(fused, model, in);
            Tensor loss = null;
            for (int i = 0; i < out.length; i++) {
                Tensor term = MatrixOps.sum(MatrixOps.mul(out[i], Tensor.uniform(90 + i, -1, 1, out[i].shape())));
                loss = loss == null ? term : MatrixOps.add(loss, term);
                results.add(out[i].toArray());
            }
            tape.backward(loss);
        }
        for (Tensor t : gradients) {
            results.add(t.grad().toArray());
        }
        return results;
    }

    private static String describe(Model model, int batch, boolean padded) {
        return model.attention().score() + (model.words() ? ", projection" : ", token rows") + ", batch " + batch
                + (padded ? ", padded sources" : "");
    }

    private static void assertSame(List<float[]> expected, List<float[]> actual, Model model, Inputs in,
                                   String what) {
        List<String> names = new ArrayList<>(List.of("h", "c", "h~", "weights"));
        in.tensors().forEach(t -> names.add("d" + (t == in.feed() ? "feed" : t == in.h() ? "h" : t == in.c() ? "c"
                : t == in.outputs() ? "outputs" : "projection")));
        model.parameters().forEach(p -> names.add("d" + p.name()));
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), what + ": " + names.get(i));
        }
    }

    @ParameterizedTest
    @EnumSource(value = GlobalAttention.Score.class, names = {"DOT", "GENERAL"})
    void givesTheSeparateOpsBitsForwardAndBackward(GlobalAttention.Score score) {
        for (boolean words : new boolean[] {false, true}) {
            Model model = Model.of(score, words);
            for (int batch : new int[] {1, 5, 17, 64}) {
                for (boolean padded : new boolean[] {false, true}) {
                    Inputs in = Inputs.of(model, batch, padded);
                    List<float[]> separate = run(false, model, in);
                    List<float[]> fused = run(true, model, in);
                    assertSame(separate, fused, model, in, describe(model, batch, padded));
                    boolean anyGradient = false;
                    for (float g : fused.get(4)) { // the feed's: it went through the whole step backward
                        anyGradient |= g != 0;
                    }
                    assertTrue(anyGradient, describe(model, batch, padded) + ": the feed got a gradient");
                }
            }
        }
    }

    /**
     * Over sequences of steps the weight gradients are summed once, at the end of the backward pass,
     * over the rows of every step (the last step's first): the same bits as the separate ops' sums
     * step after step, two sequences through the same weights in one pass included.
     */
    @ParameterizedTest
    @EnumSource(value = GlobalAttention.Score.class, names = {"DOT", "GENERAL"})
    void sumsTheWeightGradientsOfASequenceToTheSameBits(GlobalAttention.Score score) {
        for (boolean words : new boolean[] {false, true}) {
            Model model = Model.of(score, words);
            for (int batch : new int[] {5, 17}) {
                Inputs in = Inputs.of(model, batch, true);
                List<float[]> separate = runSequences(false, model, in, 4);
                List<float[]> fused = runSequences(true, model, in, 4);
                List<String> names = new ArrayList<>();
                in.tensors().forEach(t -> names.add("an input's gradient"));
                model.parameters().forEach(p -> names.add("d" + p.name()));
                for (int i = 0; i < separate.size(); i++) {
                    assertArrayEquals(separate.get(i), fused.get(i), describe(model, batch, true) + ", two sequences"
                            + " of 4 steps: " + names.get(i));
                }
            }
        }
    }

    /** Sequences whose stacked rows pass what the arrays hold: summed during the pass too, the same bits. */
    @Test
    void sumsDuringThePassWhenTheStackedRowsPassTheirBound() {
        Model model = Model.of(GlobalAttention.Score.GENERAL, false);
        int batch = 64;
        int length = 70;
        long floats = 2L * length * batch * 5 * UNITS; // two sequences; U's rows: h (H) and dz (4H)
        assertTrue(floats > 2 << 20, "the rows pass the op's bound (8 MB a weight)");
        Inputs in = Inputs.of(model, batch, true);
        List<float[]> separate = runSequences(false, model, in, length);
        List<float[]> fused = runSequences(true, model, in, length);
        for (int i = 0; i < separate.size(); i++) {
            assertArrayEquals(separate.get(i), fused.get(i), "two sequences of " + length + " steps, gradient " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(value = GlobalAttention.Score.class, names = {"DOT", "GENERAL"})
    void givesTheSameBitsOnOneThreadAndOnAll(GlobalAttention.Score score) {
        ParallelKernels kernels = Backend.kernels();
        assumeTrue(kernels.threads() >= 2, "needs at least two kernel threads");
        for (boolean words : new boolean[] {false, true}) {
            Model model = Model.of(score, words);
            for (int batch : new int[] {17, 64}) {
                Inputs in = Inputs.of(model, batch, true);
                List<float[]> oneThread;
                try (ParallelKernels.ThreadLimit ignored = kernels.limitThreads(1)) {
                    oneThread = run(true, model, in);
                }
                assertSame(oneThread, run(true, model, in), model, in, describe(model, batch, true) + ", 1 thread");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = GlobalAttention.Score.class, names = {"DOT", "GENERAL"})
    void gradientsMatchCentralDifferences(GlobalAttention.Score score) {
        for (boolean words : new boolean[] {false, true}) {
            Model model = Model.of(score, words, 8); // small: every element of every input is perturbed
            Inputs in = Inputs.of(model, 3, true);
            List<Tensor> checked = new ArrayList<>(in.tensors());
            checked.addAll(model.parameters());
            check("inputFeedingStep, " + describe(model, 3, true), () -> {
                Tensor[] out = step(true, model, in);
                return ShapeOps.concatColumns(out);
            }, checked.toArray(Tensor[]::new));
        }
    }

    @Test
    void refusesASecondBackwardThroughOneForward() {
        Model model = Model.of(GlobalAttention.Score.DOT, false);
        Inputs in = Inputs.of(model, 5, false);
        Tape tape = new Tape();
        try (Tape.Scope ignored = tape.activate()) {
            Tensor loss = MatrixOps.sum(step(true, model, in)[2]);
            tape.backward(loss);
            IllegalStateException second = assertThrows(IllegalStateException.class, () -> tape.backward(loss));
            assertTrue(second.getMessage().contains("a second backward"), second.getMessage());
        }
    }

    @Test
    void refusesWhatDoesNotFit() {
        Model model = Model.of(GlobalAttention.Score.GENERAL, false);
        Inputs in = Inputs.of(model, 4, false);
        GlobalAttention.Memory memory = model.attention().memory(in.outputs(), STEPS, null);
        LSTM lstm = model.lstm();
        Tensor kernel = lstm.kernel();
        InputFeedingStep.Recurrence recurrence = new InputFeedingStep.Recurrence(
                kernel.rows(model.tokenInputs(), lstm.inputSize()), lstm.recurrentKernel());
        Tensor table = kernel.rows(0, model.tokenInputs());
        IndexOutOfBoundsException badId = assertThrows(IndexOutOfBoundsException.class, () ->
                model.attention().stepLSTM(InputFeedingStep.Tokens.lookedUp(new int[] {0, 1, 2, VOCABULARY}, table,
                        lstm.bias()), in.feed(), in.h(), in.c(), recurrence, memory));
        assertTrue(badId.getMessage().contains("id " + VOCABULARY + " at row 3"), badId.getMessage());
        IllegalArgumentException badFeed = assertThrows(IllegalArgumentException.class, () ->
                model.attention().stepLSTM(InputFeedingStep.Tokens.lookedUp(in.ids(), table, lstm.bias()),
                        Tensor.zeros(4, UNITS + 1), in.h(), in.c(), recurrence, memory));
        assertTrue(badFeed.getMessage().contains("feed"), badFeed.getMessage());
        IllegalStateException additive = assertThrows(IllegalStateException.class, () ->
                new GlobalAttention("a", GlobalAttention.Score.ADDITIVE, UNITS, 1).stepLSTM(
                        InputFeedingStep.Tokens.lookedUp(in.ids(), table, lstm.bias()), in.feed(), in.h(), in.c(),
                        recurrence, memory));
        assertTrue(additive.getMessage().contains("ADDITIVE"), additive.getMessage());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () ->
                new InputFeedingStep.Tokens(in.ids(), table, lstm.bias(), Tensor.zeros(4, 4 * UNITS)));
        assertTrue(both.getMessage().contains("not both nor neither"), both.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new InputFeedingStep.Tokens(in.ids(), null, null, null));
    }
}
