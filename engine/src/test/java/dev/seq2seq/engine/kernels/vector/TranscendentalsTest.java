package dev.seq2seq.engine.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.seq2seq.engine.TestData;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The vector transcendentals equal their scalar twins bit for bit (so a value gives the same
 * result in a lane or in a tail), and stay within a few ulps of {@link Math} over a wide range,
 * tiny arguments included.
 */
class TranscendentalsTest {
    private static final int ULPS = 4;

    private static float[] arguments() {
        float[] mixed = TestData.mixed(21, 4096);        // |x| from 0.01 to 10, both signs
        float[] wide = TestData.uniform(22, 4096, 40f);   // -40 .. 40
        // the clamp's bounds and what lies past them (NaN, the infinities) included
        float[] edges = {0f, -0f, 1e-6f, -1e-6f, 0.4f, -0.4f, 0.39999998f, 88f, -87f, 100f, -100f, 1e-30f, 2f, -2f,
            9f, -9f, 88.00001f, -87.00001f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE,
            -Float.MAX_VALUE};
        float[] all = new float[mixed.length + wide.length + edges.length];
        System.arraycopy(mixed, 0, all, 0, mixed.length);
        System.arraycopy(wide, 0, all, mixed.length, wide.length);
        System.arraycopy(edges, 0, all, mixed.length + wide.length, edges.length);
        return all;
    }

    private interface VectorFunction {
        FloatVector apply(FloatVector x);
    }

    private interface ScalarFunction {
        float apply(float x);
    }

    private static void check(String name, VectorFunction vector, ScalarFunction scalar, ScalarFunction reference,
                              float lowestChecked) {
        float[] x = arguments();
        int lanes = VectorWidth.LANES;
        float[] padded = java.util.Arrays.copyOf(x, (x.length + lanes - 1) / lanes * lanes);
        float[] out = new float[padded.length];
        for (int i = 0; i < padded.length; i += lanes) {
            vector.apply(FloatVector.fromArray(VectorWidth.SPECIES, padded, i)).intoArray(out, i);
        }
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits(scalar.apply(x[i])), Float.floatToIntBits(out[i]),
                    name + "(" + x[i] + "): lane and scalar formula differ");
            float expected = reference.apply(x[i]);
            if (Math.abs(expected) < lowestChecked) {
                continue; // below the documented clamp (exp of less than -87 is not a normal float)
            }
            if (Math.abs(out[i] - expected) > ULPS * Math.ulp(expected)) {
                fail(name + "(" + x[i] + ") = " + out[i] + ", Math gives " + expected);
            }
        }
    }

    @Test
    void expSigmoidTanh() {
        // exp's documented clamp: the input is held to [-87, 88] (past 88 the reference says nothing)
        check("exp", Transcendentals::exp, Transcendentals::exp,
                v -> v > 88f ? Float.NaN : (float) Math.exp(Math.max(v, -87f)), 1.2e-38f);
        check("sigmoid", Transcendentals::sigmoid, Transcendentals::sigmoid,
                v -> (float) (1.0 / (1.0 + Math.exp(-v))), 1e-37f);
        check("tanh", Transcendentals::tanh, Transcendentals::tanh, v -> (float) Math.tanh(v), 0f);
    }
}
