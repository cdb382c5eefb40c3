package dev.seq2seq.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The warm-up's calls are all in bounds on either backend (its shapes are the odd ones, edges included). */
class WarmUpTest {

    @Test
    void runsOnTheChosenAndTheScalarKernels() {
        for (Kernels kernels : new Kernels[] {Backend.chooseSingleThreaded(), new ScalarKernels()}) {
            double seconds = WarmUp.run(kernels);
            assertTrue(seconds > 0 && seconds < 120, kernels.name() + ": warm-up took " + seconds + " s");
        }
    }
}
