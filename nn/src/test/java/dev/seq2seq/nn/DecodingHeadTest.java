package dev.seq2seq.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.engine.kernels.Backend;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The decoding head in bf16 gives the layer's logits over its kernel rounded to bf16; in float32, the layer's. */
class DecodingHeadTest {
    static final int IN = 37;
    static final int OUT = 93;

    @ParameterizedTest(name = "{0} rows")
    @ValueSource(ints = {1, 3, 5, 9})
    void bf16LogitsAreTheLayersOverTheRoundedKernel(int rows) {
        try (Tape.Scope ignored = Tape.pause()) {
            Dense dense = dense();
            Dense rounded = dense();
            WeightPrecision.BF16.roundInPlace(rounded.kernel());
            Tensor x = Tensor.uniform(5, -1, 1, rows, IN);
            float[] expected = rounded.logits(x).toArray();
            float[] actual = new DecodingHead(dense, WeightPrecision.BF16).logits(x).toArray();
            if (Backend.kernels().name().startsWith("vector")) {
                assertArrayEquals(expected, actual);
            } else {
                assertArrayEquals(expected, actual, 1e-5f);
            }
            float[] float32 = new DecodingHead(dense, WeightPrecision.FLOAT32).logits(x).toArray();
            assertArrayEquals(dense.logits(x).toArray(), float32);
            assertFalse(Arrays.equals(float32, actual), "bf16 gave the float32 logits");
        }
    }

    /**
     * A kernel larger than the gemv copy takes (a word model's output layer): in float32 every row
     * count reads the packed copy, with the layer's bits; in bf16 up to three rows read the bf16
     * panels (the cores sharing them out), more the packed copy of the rounded kernel: the logits
     * over the rounded kernel (to the bit on the vector backend, whose float32 product makes the
     * same FMAs; the scalar one rounds a * b before adding).
     */
    @ParameterizedTest(name = "{0} rows")
    @ValueSource(ints = {1, 2, 3, 5, 9})
    void aLargeKernelGivesTheLayersLogitsInBothPrecisions(int rows) {
        int in = 64;
        int out = DecodingHead.GEMV_MAX_WEIGHTS / in + 7; // odd, and just over the gemv copy's limit
        try (Tape.Scope ignored = Tape.pause()) {
            Dense dense = new Dense("dense", in, out, Dense.Activation.SOFTMAX, 3);
            dense.bias().copyFrom(Tensor.uniform(4, -0.5f, 0.5f, out));
            Tensor x = Tensor.uniform(5, -1, 1, rows, in);
            assertArrayEquals(dense.logits(x).toArray(),
                    new DecodingHead(dense, WeightPrecision.FLOAT32).logits(x).toArray());
            float[] bf16 = new DecodingHead(dense, WeightPrecision.BF16).logits(x).toArray();
            float[] float32 = dense.logits(x).toArray();
            WeightPrecision.BF16.roundInPlace(dense.kernel());
            float tolerance = rows <= DecodingHead.BF16_MAX_ROWS && !Backend.kernels().name().startsWith("vector")
                    ? 1e-5f : 0f;
            assertArrayEquals(dense.logits(x).toArray(), bf16, tolerance, "bf16: the logits over the rounded kernel");
            assertFalse(Arrays.equals(float32, bf16), "bf16 gave the float32 logits");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"FLOAT32", "BF16"})
    void aWrongInputIsNamed(String precision) {
        DecodingHead head = new DecodingHead(dense(), WeightPrecision.valueOf(precision));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> head.logits(Tensor.zeros(2, IN + 1)));
        assertTrue(e.getMessage().contains("[2, " + (IN + 1) + "]"), e.getMessage());
    }

    @Test
    void roundingInFloat32LeavesTheWeights() {
        Dense dense = dense();
        float[] before = dense.kernel().toArray();
        WeightPrecision.FLOAT32.roundInPlace(dense.kernel());
        assertArrayEquals(before, dense.kernel().toArray());
        WeightPrecision.BF16.roundInPlace(dense.kernel());
        for (float w : dense.kernel().toArray()) {
            assertEquals(0, Float.floatToRawIntBits(w) & 0xFFFF, "a bf16 value has 16 zero low bits");
        }
    }

    private static Dense dense() {
        Dense dense = new Dense("dense", IN, OUT, Dense.Activation.SOFTMAX, 3);
        dense.bias().copyFrom(Tensor.uniform(4, -0.5f, 0.5f, OUT));
        return dense;
    }
}
