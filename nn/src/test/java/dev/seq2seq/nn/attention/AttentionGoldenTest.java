package dev.seq2seq.nn.attention;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.nn.GoldenFixture;
import dev.seq2seq.nn.GoldenReport;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Replays one attention step computed by PyTorch (tools/golden/make_fixtures.py): decoder state
 * over padded encoder outputs, for each score. The weights (zero at padded positions), the
 * attentional state, the loss sum(attentional * P) and every gradient, each compared tensor by
 * tensor and reported OK / NOT OK. Tolerance as in GoldenValuesTest: 1e-6 relative to max(1, |torch|).
 */
class AttentionGoldenTest {
    private static final double TOLERANCE = 1e-6;

    private final GoldenReport report = new GoldenReport();

    @ParameterizedTest(name = "{0} attention matches PyTorch")
    @EnumSource(GlobalAttention.Score.class)
    void attentionStepMatchesPyTorch(GlobalAttention.Score score) {
        String name = score.name().toLowerCase(Locale.ROOT);
        GoldenFixture golden = GoldenFixture.load("attention-" + name);
        Map<String, Tensor> g = golden.tensors();
        int steps = golden.integer("steps");
        int units = golden.integer("units");

        GlobalAttention attention = new GlobalAttention("attention", score, units, 1);
        for (Tensor parameter : attention.parameters()) {
            String key = parameter.name().substring("attention/".length());
            parameter.copyFrom(g.get("weights/" + key));
        }
        Tensor outputs = g.get("outputs").copy().requireGrad();
        Tensor h = g.get("h").copy().requireGrad();
        Tensor lengthValues = g.get("lengths");
        int[] lengths = new int[lengthValues.size()];
        for (int b = 0; b < lengths.length; b++) {
            lengths[b] = (int) lengthValues.at(b);
        }

        Tape tape = new Tape();
        try (Tape.Scope ignored = tape.activate()) {
            GlobalAttention.Step step = attention.attend(h, attention.memory(outputs, steps, lengths));
            Tensor loss = MatrixOps.sum(MatrixOps.mul(step.attentional(), g.get("projection")));
            report.compare("weights", g.get("attention_weights"), step.weights(), TOLERANCE);
            report.compare("attentional state", g.get("attentional"), step.attentional(), TOLERANCE);
            report.compare("loss", g.get("loss"), loss, TOLERANCE);
            tape.backward(loss);
        }
        report.compare("d outputs", g.get("grad/outputs"), outputs.grad(), TOLERANCE);
        report.compare("d h", g.get("grad/h"), h.grad(), TOLERANCE);
        for (Tensor parameter : attention.parameters()) {
            String key = parameter.name().substring("attention/".length());
            report.compare("d " + key, g.get("grad/" + key), parameter.grad(), TOLERANCE);
        }
        report.printAndCheck(name + " attention against PyTorch " + golden.torch());
    }
}
