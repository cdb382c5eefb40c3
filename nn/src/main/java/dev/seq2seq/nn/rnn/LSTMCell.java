package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.kernels.Kernels;

/**
 * The LSTM cell's pointwise math for a batch of rows at one time step, forward and backward, on
 * flat arrays (the fused path). Keras semantics, gate order i, f, c, o in blocks of H columns:
 *
 * <pre>
 *   z = x W + h_prev U + b                 z[B, 4H] = [z_i | z_f | z_g | z_o]
 *   i = sigmoid(z_i)   f = sigmoid(z_f)   g = tanh(z_g)   o = sigmoid(z_o)
 *   c = f * c_prev + i * g
 *   h = o * tanh(c)
 * </pre>
 *
 * Backward, from dh and dc (the gradient reaching c from the next step):
 *
 * <pre>
 *   dc  += dh * o * (1 - tanh(c)^2)        (h depends on c through tanh)
 *   do   = dh * tanh(c)                     dz_o = do * o (1 - o)
 *   di   = dc * g                           dz_i = di * i (1 - i)
 *   dg   = dc * i                           dz_g = dg * (1 - g^2)
 *   df   = dc * c_prev                      dz_f = df * f (1 - f)
 *   dc_prev = dc * f
 * </pre>
 *
 * The matrix products around it (z's recurrent part, dh_prev = dz U^T, the weight gradients)
 * are done by the caller with whole-batch kernels. Public for the attention decoder's fused step
 * ({@code InputFeedingStep}), whose cell must be this one to the bit.
 */
public final class LSTMCell {
    private LSTMCell() {
    }

    /**
     * Turns the pre-activations z[B, 4H] (at zOff) into the activations [i | f | g | o] in place,
     * then writes c, tanh(c) and h, each [B, H].
     */
    public static void forward(Kernels k, int batch, int units,
                               float[] z, int zOff, float[] cPrev, int cPrevOff,
                               float[] c, int cOff, float[] tanhC, int tanhCOff, float[] h, int hOff) {
        int gates = 4 * units;
        for (int b = 0; b < batch; b++) {
            int row = zOff + b * gates;
            k.sigmoid(z, row, z, row, 2 * units);                 // i, f
            k.tanh(z, row + 2 * units, z, row + 2 * units, units); // g
            k.sigmoid(z, row + 3 * units, z, row + 3 * units, units); // o
            int state = b * units;
            // c = f * c_prev + i * g
            k.mul(z, row + units, cPrev, cPrevOff + state, c, cOff + state, units);
            k.mulAdd(z, row, z, row + 2 * units, c, cOff + state, units);
            // h = o * tanh(c)
            k.tanh(c, cOff + state, tanhC, tanhCOff + state, units);
            k.mul(z, row + 3 * units, tanhC, tanhCOff + state, h, hOff + state, units);
        }
    }

    /**
     * One row's backward. Reads the activations (act, at actOff: [i | f | g | o] of this row),
     * c_prev and tanh(c) of this row, dh and dc (this row's gradients w.r.t. h and c, dc already
     * holding what came from the next step); writes dz (this row, 4H) and dcPrev. The loop is the
     * engine's {@code Kernels#lstmBackwardRow} (its scalar reference and a Vector API twin with the
     * same bits), which computes the derivatives in the class comment, in that order.
     */
    public static void backwardRow(Kernels k, int units, float[] act, int actOff, float[] cPrev, int cPrevOff,
                                   float[] tanhC, int tanhCOff, float[] dh, int dhOff, float[] dc, int dcOff,
                                   float[] dz, int dzOff, float[] dcPrev, int dcPrevOff) {
        k.lstmBackwardRow(units, act, actOff, cPrev, cPrevOff, tanhC, tanhCOff, dh, dhOff, dc, dcOff, dz, dzOff,
                dcPrev, dcPrevOff);
    }
}
