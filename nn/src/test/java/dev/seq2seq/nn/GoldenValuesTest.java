package dev.seq2seq.nn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.nn.loss.SoftmaxCrossEntropy;
import dev.seq2seq.nn.optim.RMSprop;
import dev.seq2seq.nn.rnn.GRU;
import dev.seq2seq.nn.rnn.GRUState;
import dev.seq2seq.nn.rnn.LSTM;
import dev.seq2seq.nn.rnn.LSTMState;
import dev.seq2seq.nn.rnn.SequenceResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays a PyTorch run (tools/golden/make_fixtures.py): an LSTM or GRU layer in Keras layout, a
 * Dense head and softmax cross-entropy. Forward values, the loss, every gradient, then 3 RMSprop
 * steps, each compared tensor by tensor and reported OK / NOT OK, like llm.c's test.
 *
 * <p>Tolerances, as |ours - torch| <= tolerance * max(1, |torch|): forward values and gradients
 * 1e-6 (float32 rounding of sums of a few dozen terms, in another order, is about 1e-7);
 * parameters after RMSprop 1e-5 (its first steps divide by sqrt(v) with v near g^2, so a step is
 * about lr whatever g is, and rounding differences in tiny gradients are amplified).
 */
class GoldenValuesTest {
    static final double FORWARD_TOLERANCE = 1e-6;
    static final double GRADIENT_TOLERANCE = 1e-6;
    static final double OPTIMIZER_TOLERANCE = 1e-5;

    private final GoldenReport report = new GoldenReport();

    @ParameterizedTest(name = "{0} matches PyTorch")
    @ValueSource(strings = {"lstm", "gru"})
    void layerMatchesPyTorch(String cell) {
        GoldenFixture golden = GoldenFixture.load(cell);
        Map<String, Tensor> g = golden.tensors();
        int steps = golden.integer("steps");
        int batch = golden.integer("batch");
        int inputs = golden.integer("input");
        int units = golden.integer("units");
        int classes = golden.integer("classes");
        boolean lstm = cell.equals("lstm");

        Module layer = lstm ? new LSTM("rnn", inputs, units, 1) : new GRU("rnn", inputs, units, 1);
        Dense dense = new Dense("dense", units, classes, Dense.Activation.LINEAR, 2);
        List<Tensor> weights = new ArrayList<>(layer.parameters());
        weights.addAll(dense.parameters());
        String[] keys = {"kernel", "recurrent_kernel", "bias", "dense/kernel", "dense/bias"};
        for (int i = 0; i < keys.length; i++) {
            weights.get(i).copyFrom(g.get("weights/" + keys[i]));
        }
        Tensor x = g.get("x").copy().requireGrad();
        Tensor h0 = g.get("h0").copy().requireGrad();
        Tensor c0 = lstm ? g.get("c0").copy().requireGrad() : null;
        int[] targets = new int[steps * batch];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = (int) g.get("targets").at(i);
        }

        Tape tape = new Tape();
        Tensor loss;
        try (Tape.Scope ignored = tape.activate()) {
            Result result = forward(layer, dense, x, h0, c0, targets, steps, batch, units);
            loss = result.loss;
            report.compare("outputs", g.get("outputs"), result.outputs, FORWARD_TOLERANCE);
            report.compare("final h", g.get("final_h"), result.finalH, FORWARD_TOLERANCE);
            if (lstm) {
                report.compare("final c", g.get("final_c"), result.finalC, FORWARD_TOLERANCE);
            }
            report.compare("logits", g.get("logits"), result.logits, FORWARD_TOLERANCE);
            report.compare("loss", g.get("loss"), loss, FORWARD_TOLERANCE);
            tape.backward(loss);
        }
        for (int i = 0; i < keys.length; i++) {
            report.compare("d " + keys[i], g.get("grad/" + keys[i]), weights.get(i).grad(), GRADIENT_TOLERANCE);
        }
        report.compare("d x", g.get("grad/x"), x.grad(), GRADIENT_TOLERANCE);
        report.compare("d h0", g.get("grad/h0"), h0.grad(), GRADIENT_TOLERANCE);
        if (lstm) {
            report.compare("d c0", g.get("grad/c0"), c0.grad(), GRADIENT_TOLERANCE);
        }

        RMSprop optimizer = golden.rmsprop(weights);
        int rmspropSteps = golden.integer("rmsprop_steps");
        float[] losses = new float[rmspropSteps];
        for (int step = 0; step < rmspropSteps; step++) {
            optimizer.zeroGrad();
            tape.clear();
            try (Tape.Scope ignored = tape.activate()) {
                Tensor stepLoss = forward(layer, dense, x, h0, c0, targets, steps, batch, units).loss;
                losses[step] = stepLoss.at(0);
                tape.backward(stepLoss);
            }
            optimizer.step();
        }
        report.compare("RMSprop losses", g.get("rmsprop/losses"), Tensor.of(losses, rmspropSteps), OPTIMIZER_TOLERANCE);
        for (int i = 0; i < keys.length; i++) {
            report.compare("after RMSprop " + keys[i], g.get("rmsprop/weights/" + keys[i]), weights.get(i),
                    OPTIMIZER_TOLERANCE);
        }

        report.printAndCheck(cell.toUpperCase(Locale.ROOT) + " against PyTorch " + golden.torch());
    }

    private record Result(Tensor outputs, Tensor finalH, Tensor finalC, Tensor logits, Tensor loss) {
    }

    private static Result forward(Module layer, Dense dense, Tensor x, Tensor h0, Tensor c0, int[] targets,
                                  int steps, int batch, int units) {
        Tensor outputs;
        Tensor finalH;
        Tensor finalC = null;
        if (layer instanceof LSTM lstm) {
            SequenceResult<LSTMState> result = lstm.forward(x, null, new LSTMState(h0, c0));
            outputs = result.outputs();
            finalH = result.state().h();
            finalC = result.state().c();
        } else {
            SequenceResult<GRUState> result = ((GRU) layer).forward(x, null, new GRUState(h0));
            outputs = result.outputs();
            finalH = result.state().h();
        }
        Tensor logits = dense.logits(outputs.view(steps * batch, units));
        Tensor loss = SoftmaxCrossEntropy.loss(logits, targets, null, SoftmaxCrossEntropy.Reduction.MEAN_OVER_REAL);
        return new Result(outputs, finalH, finalC, logits, loss);
    }
}
