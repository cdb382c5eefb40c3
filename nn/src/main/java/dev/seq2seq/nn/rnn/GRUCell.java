package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.kernels.Kernels;

/**
 * The GRU cell's pointwise math, tf.keras 2 / Keras 3 default (reset_after=True, which is also
 * PyTorch's GRU), gate order z, r, h in blocks of H columns:
 *
 * <pre>
 *   xz = x W + b_in                      hz = h_prev U + b_rec        (both [B, 3H])
 *   z = sigmoid(xz_z + hz_z)             update gate
 *   r = sigmoid(xz_r + hz_r)             reset gate
 *   n = tanh(xz_n + r * hz_n)            candidate ("reset after" the recurrent product)
 *   h = z * h_prev + (1 - z) * n
 * </pre>
 *
 * Backward from dh:
 *
 * <pre>
 *   dz = dh * (h_prev - n)     da_z = dz * z (1 - z)
 *   dn = dh * (1 - z)          da_n = dn * (1 - n^2)
 *   dr = da_n * hz_n           da_r = dr * r (1 - r)
 *   d xz = [da_z | da_r | da_n]          d hz = [da_z | da_r | da_n * r]
 *   dh_prev = dh * z + d hz . U^T
 * </pre>
 */
final class GRUCell {
    private GRUCell() {
    }

    /**
     * act holds xz [B, 3H] on entry and [z | r | n] on return; hz [B, 3H] is h_prev U + b_rec;
     * writes h [B, H].
     */
    static void forward(Kernels k, int batch, int units, float[] act, int actOff, float[] hz, int hzOff,
                        float[] hPrev, int hPrevOff, float[] h, int hOff) {
        int gates = 3 * units;
        for (int b = 0; b < batch; b++) {
            int row = actOff + b * gates;
            int hzRow = hzOff + b * gates;
            k.add(act, row, hz, hzRow, act, row, 2 * units);
            k.sigmoid(act, row, act, row, 2 * units);                                   // z, r
            k.mulAdd(act, row + units, hz, hzRow + 2 * units, act, row + 2 * units, units); // xz_n + r * hz_n
            k.tanh(act, row + 2 * units, act, row + 2 * units, units);                  // n
            int state = b * units;
            for (int j = 0; j < units; j++) {
                float z = act[row + j];
                float n = act[row + 2 * units + j];
                h[hOff + state + j] = z * hPrev[hPrevOff + state + j] + (1f - z) * n;
            }
        }
    }

    /**
     * One row's backward: writes d xz and d hz (3H each) and the direct part dh * z of dh_prev. The
     * loop is the engine's {@code Kernels#gruBackwardRow} (its scalar reference and a Vector API twin
     * with the same bits), the derivatives of the class comment in that order.
     */
    static void backwardRow(Kernels k, int units, float[] act, int actOff, float[] hz, int hzOff, float[] hPrev,
                            int hPrevOff, float[] dh, int dhOff, float[] dxz, int dxzOff, float[] dhz, int dhzOff,
                            float[] dhPrev, int dhPrevOff) {
        k.gruBackwardRow(units, act, actOff, hz, hzOff, hPrev, hPrevOff, dh, dhOff, dxz, dxzOff, dhz, dhzOff, dhPrev,
                dhPrevOff);
    }
}
