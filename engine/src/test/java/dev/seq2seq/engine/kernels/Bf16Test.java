package dev.seq2seq.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Bf16Test {
    @Test
    void roundsToTheNearestTiesToEven() {
        assertEquals((short) 0x3F80, Bf16.round(1f));
        assertEquals(1f, Bf16.widen(Bf16.round(1f)));
        // 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: ties go to the even mantissa, 1
        assertEquals(1f, Bf16.widen(Bf16.round(1f + 0x1p-8f)));
        // 1 + 3 * 2^-8 lies halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even)
        assertEquals(1f + 0x1p-6f, Bf16.widen(Bf16.round(1f + 3 * 0x1p-8f)));
        // just above halfway goes up
        assertEquals(1f + 0x1p-7f, Bf16.widen(Bf16.round(1f + 0x1p-8f + 0x1p-20f)));
        assertEquals(-2.5f, Bf16.widen(Bf16.round(-2.5f)));
    }

    @Test
    void keepsInfinitiesAndNaNAndRoundsTheLargestFloatsToInfinity() {
        assertEquals(Float.POSITIVE_INFINITY, Bf16.widen(Bf16.round(Float.POSITIVE_INFINITY)));
        assertEquals(Float.NEGATIVE_INFINITY, Bf16.widen(Bf16.round(Float.NEGATIVE_INFINITY)));
        assertTrue(Float.isNaN(Bf16.widen(Bf16.round(Float.NaN))));
        assertTrue(Float.isNaN(Bf16.widen(Bf16.round(Float.intBitsToFloat(0x7F800001)))), "a NaN whose payload is"
                + " all in the low bits stays a NaN");
        assertEquals(Float.POSITIVE_INFINITY, Bf16.widen(Bf16.round(Float.MAX_VALUE)));
    }

    @Test
    void isWithinHalfAUnitOfItsLastPlace() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            float x = (float) (random.nextDouble(-1, 1) * Math.pow(2, random.nextInt(-30, 30)));
            float rounded = Bf16.widen(Bf16.round(x));
            float ulp = Math.ulp(x) * (1 << 16); // a bf16 keeps 16 fewer mantissa bits
            assertTrue(Math.abs(rounded - x) <= ulp / 2, x + " -> " + rounded);
        }
    }

    @Test
    void pairsHoldColumnJLowAndColumnHalfPlusJHigh() {
        // B [2, 5] in rows of 6 from offset 1: h = 3 ints a row, the last int's high half empty
        float[] b = {9, 1, 2, 3, 4, 5, 9, -1, -2, -3, -4, -5, 9};
        int[] pairs = Bf16.pairs(b, 1, 6, 2, 5, 5);
        assertEquals(6, pairs.length);
        assertEquals(3, Bf16.pairColumns(5));
        assertEquals(3, Bf16.pairColumns(6));
        float[][] expected = {{1, 4}, {2, 5}, {3, 0}, {-1, -4}, {-2, -5}, {-3, 0}};
        for (int i = 0; i < pairs.length; i++) {
            assertEquals(expected[i][0], Bf16.low(pairs[i]), "low half of int " + i);
            assertEquals(expected[i][1], Bf16.high(pairs[i]), "high half of int " + i);
        }
        assertEquals(Bf16.widen(Bf16.round(0.1f)), Bf16.low(Bf16.pairs(new float[] {0.1f}, 0, 1, 1, 1, 1)[0]),
                "each weight rounded to bf16");
        // the same 5 columns stored as 8: zeros past column 5, h = 4 ints a row
        int[] padded = Bf16.pairs(b, 1, 6, 2, 5, 8);
        float[][] stored = {{1, 5}, {2, 0}, {3, 0}, {4, 0}};
        assertEquals(8, padded.length);
        for (int i = 0; i < 4; i++) {
            assertEquals(stored[i][0], Bf16.low(padded[i]), "low half of int " + i);
            assertEquals(stored[i][1], Bf16.high(padded[i]), "high half of int " + i);
        }
        assertEquals(96, Bf16.paddedColumns(93));
        assertEquals(512, Bf16.paddedColumns(512));
    }
}
