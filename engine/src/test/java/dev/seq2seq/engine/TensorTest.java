package dev.seq2seq.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void argmaxInARowAndTheFirstNonFiniteValue() {
        Tensor t = Tensor.of(new float[] {5, 1, 3, 3, 0, 9, 9, 2}, 2, 4);
        assertEquals(0, t.argmaxInRow(0, 0, 4));
        assertEquals(2, t.argmaxInRow(0, 1, 4), "the first of equal values, inside the range");
        assertEquals(1, t.argmaxInRow(1, 0, 2), "the range stops before column 2");
        assertThrows(IndexOutOfBoundsException.class, () -> t.argmaxInRow(0, 1, 5), "past the row's end");
        assertThrows(IndexOutOfBoundsException.class, () -> t.argmaxInRow(2, 0, 4), "past the last row");
        assertEquals(-1, t.firstNonFinite());
        t.setAt(6, Float.NaN);
        assertEquals(6, t.firstNonFinite());
    }

    @Test
    void creationAndElementAccess() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertEquals(6, t.size());
        assertEquals(6f, t.get(1, 2));
        t.set(9f, 0, 1);
        assertEquals(9f, t.at(1));
        assertEquals(0f, Tensor.zeros(3, 1).get(2, 0));
        assertEquals(7f, Tensor.scalar(7f).at(0));
    }

    @Test
    void viewsAndSlicesShareStorageAndGradient() {
        Tensor t = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 4).requireGrad();
        Tensor v = t.view(2, 6);
        assertSame(t.data(), v.data());
        assertEquals(7f, v.get(1, 1));
        Tensor middle = t.rows(1, 3);
        assertArrayEquals(new int[] {2, 4}, middle.shape());
        assertEquals(4f, middle.at(0));
        Tensor row = t.row(2);
        assertArrayEquals(new int[] {4}, row.shape());
        assertEquals(8f, row.at(0));
        row.setAt(1, 99f);
        assertEquals(99f, t.get(2, 1));
        assertTrue(middle.requiresGrad());
        middle.gradData()[middle.offset()] = 5f;
        assertEquals(5f, t.grad().get(1, 0), "a slice's gradient is its owner's");
    }

    @Test
    void anAdoptedGradientIsTheGradientOfTheOwnerAndItsViews() {
        Tensor t = Tensor.zeros(2, 3).requireGrad();
        float[] gradient = {1, 2, 3, 4, 5, 6};
        assertThrows(IllegalStateException.class, () -> t.row(1).adoptGradient(gradient), "a view of a row");
        assertThrows(IllegalArgumentException.class, () -> t.adoptGradient(new float[5]), "too short");
        t.view(3, 2).adoptGradient(gradient);
        assertSame(gradient, t.gradData(), "a view of the whole array adopts for its owner");
        assertEquals(5f, t.row(1).grad().at(1), "a view's gradient is the adopted array");
        assertThrows(IllegalStateException.class, () -> t.adoptGradient(new float[6]), "a gradient already");
    }

    @Test
    void seededRandomIsReproducible() {
        assertArrayEquals(Tensor.uniform(42, -1, 1, 50).toArray(), Tensor.uniform(42, -1, 1, 50).toArray());
        assertNotEquals(Tensor.uniform(42, -1, 1, 50).at(0), Tensor.uniform(43, -1, 1, 50).at(0));
        Tensor u = Tensor.uniform(1, -0.5f, 0.5f, 10_000);
        for (int i = 0; i < u.size(); i++) {
            assertTrue(u.at(i) >= -0.5f && u.at(i) < 0.5f);
        }
        Tensor n = Tensor.normal(7, 1f, 2f, 20_001);
        double mean = 0;
        double square = 0;
        for (int i = 0; i < n.size(); i++) {
            mean += n.at(i);
            square += n.at(i) * n.at(i);
        }
        mean /= n.size();
        double std = Math.sqrt(square / n.size() - mean * mean);
        assertEquals(1.0, mean, 0.05);
        assertEquals(2.0, std, 0.05);
    }

    @Test
    void mistakesGetMessagesThatNameTheShapes() {
        Tensor t = Tensor.zeros(2, 3).named("weights");
        IllegalArgumentException view = assertThrows(IllegalArgumentException.class, () -> t.view(4, 2));
        assertTrue(view.getMessage().contains("weights [2, 3]") && view.getMessage().contains("[4, 2]"),
                view.getMessage());
        IndexOutOfBoundsException rows = assertThrows(IndexOutOfBoundsException.class, () -> t.rows(1, 3));
        assertTrue(rows.getMessage().contains("weights [2, 3]"), rows.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(2, 0));
        IllegalArgumentException of = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new float[5], 2, 3));
        assertTrue(of.getMessage().contains("5 values") && of.getMessage().contains("[2, 3]"), of.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, -1));
        IllegalStateException viewGrad = assertThrows(IllegalStateException.class, () -> t.rows(0, 1).requireGrad());
        assertTrue(viewGrad.getMessage().contains("view"), viewGrad.getMessage());
    }
}
