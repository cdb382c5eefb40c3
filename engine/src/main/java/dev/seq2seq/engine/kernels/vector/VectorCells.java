package dev.seq2seq.engine.kernels.vector;

import static dev.seq2seq.engine.kernels.vector.VectorWidth.LANES;
import static dev.seq2seq.engine.kernels.vector.VectorWidth.SPECIES;

import dev.seq2seq.engine.kernels.ScalarKernels;
import jdk.incubator.vector.FloatVector;

/**
 * The recurrent cells' elementwise backward (see {@code Kernels#lstmBackwardRow} and
 * {@code Kernels#gruBackwardRow}), a vector of units at a time: the same float operations in the
 * same order as the scalar loops, none fused, so the same bits. The tail is the scalar loop itself.
 * And the LSTM cell's forward ({@code Kernels#lstmForwardRows}), a unit's whole formula in one
 * pass, with the lanes' sigmoid and tanh of {@link VectorMath}: the bits of those kernels called
 * one after the other.
 */
final class VectorCells {
    private VectorCells() {
    }

    private static FloatVector load(float[] a, int offset) {
        return FloatVector.fromArray(SPECIES, a, offset);
    }

    static void lstmForwardRows(int rows, int units, float[] z, int zOff, float[] cPrev, int cPrevOff,
                                float[] c, int cOff, float[] tanhC, int tanhCOff, float[] h, int hOff) {
        int gates = 4 * units;
        for (int b = 0; b < rows; b++) {
            int row = zOff + b * gates;
            int state = b * units;
            int j = 0;
            for (int bound = SPECIES.loopBound(units); j < bound; j += LANES) {
                FloatVector i = Transcendentals.sigmoid(load(z, row + j));
                FloatVector f = Transcendentals.sigmoid(load(z, row + units + j));
                FloatVector g = Transcendentals.tanh(load(z, row + 2 * units + j));
                FloatVector o = Transcendentals.sigmoid(load(z, row + 3 * units + j));
                i.intoArray(z, row + j);
                f.intoArray(z, row + units + j);
                g.intoArray(z, row + 2 * units + j);
                o.intoArray(z, row + 3 * units + j);
                FloatVector cj = i.fma(g, f.mul(load(cPrev, cPrevOff + state + j)));
                FloatVector tc = Transcendentals.tanh(cj);
                cj.intoArray(c, cOff + state + j);
                tc.intoArray(tanhC, tanhCOff + state + j);
                o.mul(tc).intoArray(h, hOff + state + j);
            }
            for (; j < units; j++) { // the kernels' scalar tails
                float i = Transcendentals.sigmoid(z[row + j]);
                float f = Transcendentals.sigmoid(z[row + units + j]);
                float g = Transcendentals.tanh(z[row + 2 * units + j]);
                float o = Transcendentals.sigmoid(z[row + 3 * units + j]);
                z[row + j] = i;
                z[row + units + j] = f;
                z[row + 2 * units + j] = g;
                z[row + 3 * units + j] = o;
                float cj = Math.fma(i, g, f * cPrev[cPrevOff + state + j]);
                float tc = Transcendentals.tanh(cj);
                c[cOff + state + j] = cj;
                tanhC[tanhCOff + state + j] = tc;
                h[hOff + state + j] = o * tc;
            }
        }
    }

    static void lstmBackwardRow(int units, float[] act, int actOff, float[] cPrev, int cPrevOff, float[] tanhC,
                                int tanhCOff, float[] dh, int dhOff, float[] dc, int dcOff, float[] dz, int dzOff,
                                float[] dcPrev, int dcPrevOff) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        int j = 0;
        for (int bound = SPECIES.loopBound(units); j < bound; j += LANES) {
            FloatVector i = load(act, actOff + j);
            FloatVector f = load(act, actOff + units + j);
            FloatVector g = load(act, actOff + 2 * units + j);
            FloatVector o = load(act, actOff + 3 * units + j);
            FloatVector tc = load(tanhC, tanhCOff + j);
            FloatVector dhj = load(dh, dhOff + j);
            // dc + ((dh * o) * (1 - tc * tc))
            FloatVector dcj = load(dc, dcOff + j).add(dhj.mul(o).mul(one.sub(tc.mul(tc))));
            dcj.mul(g).mul(i).mul(one.sub(i)).intoArray(dz, dzOff + j);
            dcj.mul(load(cPrev, cPrevOff + j)).mul(f).mul(one.sub(f)).intoArray(dz, dzOff + units + j);
            dcj.mul(i).mul(one.sub(g.mul(g))).intoArray(dz, dzOff + 2 * units + j);
            dhj.mul(tc).mul(o).mul(one.sub(o)).intoArray(dz, dzOff + 3 * units + j);
            dcj.mul(f).intoArray(dcPrev, dcPrevOff + j);
        }
        ScalarKernels.lstmBackwardUnits(j, units, act, actOff, cPrev, cPrevOff, tanhC, tanhCOff, dh, dhOff, dc, dcOff,
                dz, dzOff, dcPrev, dcPrevOff);
    }

    static void gruBackwardRow(int units, float[] act, int actOff, float[] hz, int hzOff, float[] hPrev, int hPrevOff,
                               float[] dh, int dhOff, float[] dxz, int dxzOff, float[] dhz, int dhzOff,
                               float[] dhPrev, int dhPrevOff) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        int j = 0;
        for (int bound = SPECIES.loopBound(units); j < bound; j += LANES) {
            FloatVector z = load(act, actOff + j);
            FloatVector r = load(act, actOff + units + j);
            FloatVector n = load(act, actOff + 2 * units + j);
            FloatVector dhj = load(dh, dhOff + j);
            FloatVector daz = dhj.mul(load(hPrev, hPrevOff + j).sub(n)).mul(z).mul(one.sub(z));
            FloatVector dan = dhj.mul(one.sub(z)).mul(one.sub(n.mul(n)));
            FloatVector dar = dan.mul(load(hz, hzOff + 2 * units + j)).mul(r).mul(one.sub(r));
            daz.intoArray(dxz, dxzOff + j);
            dar.intoArray(dxz, dxzOff + units + j);
            dan.intoArray(dxz, dxzOff + 2 * units + j);
            daz.intoArray(dhz, dhzOff + j);
            dar.intoArray(dhz, dhzOff + units + j);
            dan.mul(r).intoArray(dhz, dhzOff + 2 * units + j);
            dhj.mul(z).intoArray(dhPrev, dhPrevOff + j);
        }
        ScalarKernels.gruBackwardUnits(j, units, act, actOff, hz, hzOff, hPrev, hPrevOff, dh, dhOff, dxz, dxzOff, dhz,
                dhzOff, dhPrev, dhPrevOff);
    }
}
