package dev.seq2seq.translator.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.Bf16;
import dev.seq2seq.nn.WeightPrecision;
import dev.seq2seq.nn.rnn.RecurrentState;
import dev.seq2seq.translator.TinyData;
import dev.seq2seq.translator.data.Level;
import dev.seq2seq.translator.data.Padding;
import dev.seq2seq.translator.data.Sources;
import dev.seq2seq.translator.data.Vocabulary;
import dev.seq2seq.translator.train.TrainingRun;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A decoding run's fast path ({@link Seq2SeqModel#decoding()}: token steppers, with weight panels
 * for one to three sentences, and the output layer's packed kernel for larger batches) against the
 * model's own encode and step: the same states and scores, bit for bit, sentences of different
 * lengths included (masked padding: each row's state stops at its own length) and batches large
 * enough for two row groups.
 * With bf16 step matrices, the same against the rounded copy's own encode and step (to the bit on
 * the vector backend; the scalar backend's float32 product rounds a * b before adding).
 */
class DecodingTest {

    @ParameterizedTest(name = "{0}, {1} padding, batch {2}, {3}")
    @CsvSource({"LSTM,MASKED,1,FLOAT32", "LSTM,KERAS,2,FLOAT32", "GRU,MASKED,3,FLOAT32", "GRU,KERAS,1,FLOAT32",
            "LSTM,MASKED,5,FLOAT32", "LSTM,MASKED,1,BF16", "GRU,KERAS,2,BF16", "LSTM,KERAS,5,BF16",
            "LSTM,MASKED,40,FLOAT32", "GRU,MASKED,40,FLOAT32", "LSTM,KERAS,40,FLOAT32", "GRU,MASKED,5,BF16",
            "LSTM,MASKED,3,BF16"})
    void theDecodingPathGivesTheModelsNumbers(Cell cell, Padding padding, int batch, WeightPrecision precision)
            throws Exception {
        TrainingRun run = TrainingRun.start(TinyData.distinctPairs(12), TinyData.settings(1, 4, 0.01f, 0), Level.CHAR,
                cell, 24, padding);
        Seq2SeqModel model = withBiases(run, 70).withDecodingWeights(precision);
        float tolerance = tolerance(precision);
        int sourceSize = model.sourceVocabulary().size();
        int steps = 6;
        int[] source = new int[steps * batch];
        for (int i = 0; i < source.length; i++) {
            source[i] = Vocabulary.START + 1 + (i * 7) % (sourceSize - Vocabulary.START - 1);
        }
        int[] lengths = padding == Padding.KERAS ? null : new int[batch];
        for (int b = 0; lengths != null && b < batch; b++) {
            lengths[b] = steps - b % 4; // 6, 5, 4, 3, 6, ...: rows that end early carry their state
        }
        try (Tape.Scope ignored = Tape.pause()) {
            Decoding decoding = model.decoding();
            RecurrentState expected = model.encode(source, steps, lengths);
            RecurrentState actual = decoding.encode(source, steps, lengths);
            for (int i = 0; i < expected.tensors().length; i++) {
                assertArrayEquals(expected.tensors()[i].toArray(), actual.tensors()[i].toArray(), tolerance,
                        "encoder state, tensor " + i);
            }
            stepsAlike(model, decoding, expected, actual, batch, tolerance);
        }
    }

    /**
     * Models that the steppers do not serve (attention, words, two layers) step as the model does,
     * over the run's packed copies of its matrices, their logits from the decoding head: the same
     * scores and states, bit for bit, over five steps (one to 40 rows); in bf16 the same as the
     * rounded copy's own step (to the bit on the vector backend).
     */
    @ParameterizedTest(name = "{0} attention, {1}, {2} layers, batch {3}, {4}")
    @CsvSource({"GENERAL,CHAR,1,1,FLOAT32", "GENERAL,CHAR,1,9,FLOAT32", "ADDITIVE,WORD,1,5,FLOAT32",
            "NONE,WORD,1,2,FLOAT32", "NONE,CHAR,2,9,FLOAT32", "DOT,CHAR,2,3,FLOAT32", "GENERAL,CHAR,1,1,BF16",
            "GENERAL,WORD,1,9,BF16", "NONE,CHAR,2,5,BF16", "GENERAL,WORD,1,40,FLOAT32", "NONE,CHAR,2,40,FLOAT32"})
    void modelsOffTheSteppersStepAsTheModel(Attention attention, Level level, int layers, int batch,
                                             WeightPrecision precision) throws Exception {
        TrainingRun run = TrainingRun.start(TinyData.distinctPairs(12), TinyData.settings(1, 4, 0.01f, 0),
                Architecture.plain(level, Cell.LSTM, 16, Padding.MASKED).withAttention(attention).withLayers(layers));
        Seq2SeqModel model = withBiases(run, 90).withDecodingWeights(precision);
        float tolerance = tolerance(precision);
        List<int[]> sources = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            sources.add(run.corpus().training().get(b % run.corpus().training().size()).source());
        }
        try (Tape.Scope ignored = Tape.pause()) {
            Decoding decoding = model.decoding();
            Sources padded = model.sources(sources);
            RecurrentState expected = model.encode(padded.tokens(), padded.steps(), padded.lengths());
            RecurrentState actual = decoding.encode(padded.tokens(), padded.steps(), padded.lengths());
            stepsAlike(model, decoding, expected, actual, batch, tolerance);
        }
    }

    /**
     * Five decoder steps from the start token, the model's own and the decoding run's side by side,
     * each fed the model's argmax: the scores and every tensor of the state alike at each step.
     */
    private static void stepsAlike(Seq2SeqModel model, Decoding decoding, RecurrentState expected,
                                   RecurrentState actual, int batch, float tolerance) {
        int[] previous = filled(batch, Vocabulary.START);
        for (int t = 0; t < 5; t++) {
            Seq2SeqModel.StepResult fromModel = model.step(expected, previous);
            Seq2SeqModel.StepResult fromDecoding = decoding.step(actual, previous);
            assertArrayEquals(fromModel.logits().toArray(), fromDecoding.logits().toArray(), tolerance,
                    "scores at step " + t);
            for (int i = 0; i < fromModel.state().tensors().length; i++) {
                assertArrayEquals(fromModel.state().tensors()[i].toArray(), fromDecoding.state().tensors()[i].toArray(),
                        tolerance, "state at step " + t + ", tensor " + i);
            }
            expected = fromModel.state();
            actual = fromDecoding.state();
            previous = fromModel.argmax();
        }
    }

    /**
     * The bf16 copy: its recurrent kernels and output kernel hold bf16 values, every other weight
     * is the model's, the model itself is untouched, and asking for float32, of the model or of
     * the copy, gives the model.
     */
    @Test
    void theBf16CopyRoundsTheStepMatricesOnly() throws Exception {
        TrainingRun run = TrainingRun.start(TinyData.distinctPairs(12), TinyData.settings(1, 4, 0.01f, 0), Level.CHAR,
                Cell.LSTM, 24, Padding.MASKED);
        Seq2SeqModel model = run.model();
        List<float[]> before = model.parameters().stream().map(Tensor::toArray).toList();
        Seq2SeqModel copy = model.withDecodingWeights(WeightPrecision.BF16);
        assertSame(model, model.withDecodingWeights(WeightPrecision.FLOAT32));
        assertSame(model, copy.withDecodingWeights(WeightPrecision.FLOAT32), "the copy's float32 is the model");
        assertEquals(WeightPrecision.BF16, copy.decodingWeights());
        int rounded = 0;
        for (int i = 0; i < before.size(); i++) {
            Tensor original = model.parameters().get(i);
            float[] values = copy.parameters().get(i).toArray();
            assertArrayEquals(before.get(i), original.toArray(), original.name() + " changed in the model");
            boolean stepMatrix = original.name().endsWith("/recurrent_kernel") || original.name().equals("decoder/dense/kernel");
            for (int j = 0; j < values.length; j++) {
                float expected = stepMatrix ? Bf16.widen(Bf16.round(before.get(i)[j])) : before.get(i)[j];
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(values[j]), original.name() + "[" + j + "]");
            }
            rounded += stepMatrix ? 1 : 0;
        }
        assertEquals(3, rounded, "the encoder's and decoder's recurrent kernels and the output kernel");
    }

    /**
     * The run's model with biases of a trained model's size, not the zeros they start from: a bias
     * added in another order than the model's, or not at all, shows.
     */
    private static Seq2SeqModel withBiases(TrainingRun run, int seed) {
        for (Tensor parameter : run.model().parameters()) {
            if (parameter.name().endsWith("bias")) {
                parameter.copyFrom(Tensor.uniform(seed++, -0.5f, 0.5f, parameter.shape()));
            }
        }
        return run.model();
    }

    /** 0 (the same bits) but for bf16 on the scalar backend, whose bf16 product rounds a * b before adding. */
    private static float tolerance(WeightPrecision precision) {
        return precision == WeightPrecision.BF16 && !Backend.kernels().name().startsWith("vector") ? 1e-5f : 0f;
    }

    private static int[] filled(int size, int value) {
        int[] values = new int[size];
        Arrays.fill(values, value);
        return values;
    }
}
