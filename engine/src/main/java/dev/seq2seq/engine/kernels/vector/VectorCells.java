package dev.seq2seq.engine.kernels.vector;

import static dev.seq2seq.engine.kernels.vector.VectorWidth.LANES;
import static dev.seq2seq.engine.kernels.vector.VectorWidth.SPECIES;

import dev.seq2seq.engine.kernels.ScalarKernels;
import jdk.incubator.vector.FloatVector;

/**
 * The recurrent cells' elementwise backward (see {@code Kernels#lstmBackwardRow} and
 * {@code Kernels#gruBackwardRow}), a vector of units at a time: the same float operations in the
 * same order as the scalar loops, none fused, so the same bits. The tail is the scalar loop itself.
 */
final class VectorCells {
    private VectorCells() {
    }

    private static FloatVector load(float[] a, int offset) {
        return FloatVector.fromArray(SPECIES, a, offset);
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
