package dev.seq2seq.engine.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.PackedMatrix;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Products inside a run's scope read its packed copies, with the bits of the products outside:
 * of a weight and of a view of its rows, for odd row counts; the copy is made once and shared;
 * other matrices, other threads and closed scopes read B as it is.
 */
class PackedWeightsTest {
    private static final int IN = 37;
    private static final int OUT = 53;

    @ParameterizedTest(name = "{0} rows")
    @ValueSource(ints = {1, 2, 5, 7, 13, 64})
    void productsInTheScopeGiveTheBitsOfTheProductsOutside(int rows) {
        try (Tape.Scope ignored = Tape.pause()) {
            Tensor weight = Tensor.uniform(1, -1, 1, IN + 11, OUT);
            Tensor rowsOfWeight = weight.rows(11, IN + 11); // its last IN rows, as an input kernel's fed-back part
            Tensor x = Tensor.uniform(2, -1, 1, rows, IN);
            float[] plain = MatrixOps.matmul(x, rowsOfWeight).toArray();
            float[] plainWhole = MatrixOps.matmul(Tensor.uniform(3, -1, 1, rows, IN + 11), weight).toArray();
            PackedWeights run = new PackedWeights(List.of(weight));
            try (PackedWeights.Scope scope = run.use()) {
                assertNotNull(PackedWeights.packedFor(rowsOfWeight));
                assertArrayEquals(plain, MatrixOps.matmul(x, rowsOfWeight).toArray(), "a view of the weight's rows");
                assertArrayEquals(plainWhole, MatrixOps.matmul(Tensor.uniform(3, -1, 1, rows, IN + 11), weight).toArray(),
                        "the whole weight");
            }
        }
    }

    @Test
    void aCopyIsMadeOnceAndOnlyForTheRunsWeightsInItsScope() throws Exception {
        Tensor weight = Tensor.uniform(1, -1, 1, IN, OUT);
        Tensor other = Tensor.uniform(4, -1, 1, IN, OUT);
        PackedWeights run = new PackedWeights(List.of(weight));
        assertNull(PackedWeights.packedFor(weight), "no scope open");
        try (PackedWeights.Scope scope = run.use()) {
            PackedMatrix copy = PackedWeights.packedFor(weight);
            assertNotNull(copy);
            assertSame(copy, PackedWeights.packedFor(weight), "made once");
            assertNull(PackedWeights.packedFor(other), "not one of the run's weights");
            assertNull(CompletableFuture.supplyAsync(() -> PackedWeights.packedFor(weight)).get(),
                    "another thread is not in the scope");
            PackedWeights inner = new PackedWeights(List.of(other));
            try (PackedWeights.Scope nested = inner.use()) {
                assertNull(PackedWeights.packedFor(weight), "the inner scope's weights only");
                assertNotNull(PackedWeights.packedFor(other));
            }
            assertSame(copy, PackedWeights.packedFor(weight), "the outer scope again");
        }
        assertNull(PackedWeights.packedFor(weight), "closed");
    }
}
