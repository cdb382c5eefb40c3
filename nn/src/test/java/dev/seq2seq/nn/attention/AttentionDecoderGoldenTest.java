package dev.seq2seq.nn.attention;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.ShapeOps;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.nn.GoldenFixture;
import dev.seq2seq.nn.GoldenReport;
import dev.seq2seq.nn.Dense;
import dev.seq2seq.nn.loss.SoftmaxCrossEntropy;
import dev.seq2seq.nn.optim.RMSprop;
import dev.seq2seq.nn.rnn.LSTM;
import dev.seq2seq.nn.rnn.LSTMState;
import dev.seq2seq.nn.rnn.SequenceResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Replays a whole attention decoder computed by PyTorch (tools/golden/make_fixtures.py), built here
 * from the same parts as the translator's model: an LSTM encoder over one-hot tokens, an LSTM
 * decoder stepped on [onehot(y_{t-1}) ; h~_{t-1}] from the encoder's final state, global attention
 * over the encoder's outputs (padded positions masked), a Dense head, cross-entropy over every
 * position. Logits, loss, every gradient, then 3 RMSprop steps. Tolerances as in GoldenValuesTest.
 */
class AttentionDecoderGoldenTest {
    private static final double FORWARD_TOLERANCE = 1e-6;
    private static final double GRADIENT_TOLERANCE = 1e-6;
    private static final double OPTIMIZER_TOLERANCE = 1e-5;

    private final GoldenReport report = new GoldenReport();

    private record Parts(LSTM encoder, LSTM decoder, GlobalAttention attention, Dense dense,
                         Map<String, Tensor> byKey) {
    }

    @ParameterizedTest(name = "{0} attention decoder matches PyTorch")
    @EnumSource(GlobalAttention.Score.class)
    void attentionDecoderMatchesPyTorch(GlobalAttention.Score score) {
        String name = score.name().toLowerCase(Locale.ROOT);
        GoldenFixture golden = GoldenFixture.load("attention-decoder-" + name);
        Map<String, Tensor> g = golden.tensors();
        int sourceSteps = golden.integer("source_steps");
        int targetSteps = golden.integer("target_steps");
        int batch = golden.integer("batch");
        int sourceVocabulary = golden.integer("source_vocabulary");
        int targetVocabulary = golden.integer("target_vocabulary");
        int units = golden.integer("units");

        LSTM encoder = new LSTM("encoder", sourceVocabulary, units, 1);
        LSTM decoder = new LSTM("decoder", targetVocabulary + units, units, 2);
        GlobalAttention attention = new GlobalAttention("attention", score, units, 3);
        Dense dense = new Dense("dense", units, targetVocabulary, Dense.Activation.LINEAR, 4);
        Map<String, Tensor> byKey = new LinkedHashMap<>();
        byKey.put("encoder/kernel", encoder.kernel());
        byKey.put("encoder/recurrent_kernel", encoder.recurrentKernel());
        byKey.put("encoder/bias", encoder.bias());
        byKey.put("decoder/kernel", decoder.kernel());
        byKey.put("decoder/recurrent_kernel", decoder.recurrentKernel());
        byKey.put("decoder/bias", decoder.bias());
        for (Tensor parameter : attention.parameters()) {
            byKey.put(parameter.name(), parameter);
        }
        byKey.put("dense/kernel", dense.kernel());
        byKey.put("dense/bias", dense.bias());
        byKey.forEach((key, tensor) -> tensor.copyFrom(g.get("weights/" + key)));
        Parts parts = new Parts(encoder, decoder, attention, dense, byKey);
        int[] sources = ints(g.get("sources"));
        int[] inputs = ints(g.get("inputs"));
        int[] targets = ints(g.get("targets"));
        int[] lengths = ints(g.get("lengths"));

        Tape tape = new Tape();
        try (Tape.Scope ignored = tape.activate()) {
            Tensor[] logits = new Tensor[targetSteps];
            Tensor loss = loss(parts, sources, inputs, targets, lengths, sourceSteps, targetSteps, batch, logits);
            Tensor expectedLogits = g.get("logits");
            for (int t = 0; t < targetSteps; t++) {
                report.compare("logits, step " + t, expectedLogits.rows(t * batch, (t + 1) * batch), logits[t],
                        FORWARD_TOLERANCE);
            }
            report.compare("loss", g.get("loss"), loss, FORWARD_TOLERANCE);
            tape.backward(loss);
        }
        byKey.forEach((key, tensor) -> report.compare("d " + key, g.get("grad/" + key), tensor.grad(), GRADIENT_TOLERANCE));

        List<Tensor> weights = new ArrayList<>(byKey.values());
        RMSprop optimizer = golden.rmsprop(weights);
        int rmspropSteps = golden.integer("rmsprop_steps");
        float[] losses = new float[rmspropSteps];
        for (int step = 0; step < rmspropSteps; step++) {
            optimizer.zeroGrad();
            tape.clear();
            try (Tape.Scope ignored = tape.activate()) {
                Tensor stepLoss = loss(parts, sources, inputs, targets, lengths, sourceSteps, targetSteps, batch,
                        new Tensor[targetSteps]);
                losses[step] = stepLoss.at(0);
                tape.backward(stepLoss);
            }
            optimizer.step();
        }
        report.compare("RMSprop losses", g.get("rmsprop/losses"), Tensor.of(losses, rmspropSteps), OPTIMIZER_TOLERANCE);
        byKey.forEach((key, tensor) -> report.compare("after RMSprop " + key, g.get("rmsprop/weights/" + key), tensor,
                OPTIMIZER_TOLERANCE));
        report.printAndCheck(name + " attention decoder against PyTorch " + golden.torch());
    }

    /** Mean cross-entropy over every position; fills logits[t] with step t's [B, V]. */
    private static Tensor loss(Parts parts, int[] sources, int[] inputs, int[] targets, int[] lengths,
                               int sourceSteps, int targetSteps, int batch, Tensor[] logits) {
        int units = parts.encoder().units();
        SequenceResult<LSTMState> encoded = parts.encoder().forwardTokens(sources, sourceSteps, null, null);
        GlobalAttention.Memory memory = parts.attention().memory(encoded.outputs().view(sourceSteps * batch, units),
                sourceSteps, lengths);
        LSTMState state = encoded.state();
        Tensor feed = Tensor.zeros(batch, units);
        Tensor total = null;
        for (int t = 0; t < targetSteps; t++) {
            state = parts.decoder().stepWithFeed(state, Arrays.copyOfRange(inputs, t * batch, (t + 1) * batch), feed);
            feed = parts.attention().attend(state.h(), memory).attentional();
            logits[t] = parts.dense().logits(feed);
            Tensor stepLoss = SoftmaxCrossEntropy.loss(logits[t], Arrays.copyOfRange(targets, t * batch, (t + 1) * batch),
                    null, SoftmaxCrossEntropy.Reduction.MEAN_OVER_ALL);
            total = total == null ? stepLoss : MatrixOps.add(total, stepLoss);
        }
        return MatrixOps.scale(total, 1f / targetSteps);
    }

    private static int[] ints(Tensor values) {
        int[] ints = new int[values.size()];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = (int) values.at(i);
        }
        return ints;
    }
}
