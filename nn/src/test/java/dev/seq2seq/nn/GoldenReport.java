package dev.seq2seq.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The OK / NOT OK report of a golden-value test: each tensor compared with PyTorch's as
 * |ours - torch| <= tolerance * max(1, |torch|), every line printed, the test failing at the end
 * if any line is NOT OK (so one run shows every disagreement, not only the first).
 */
public final class GoldenReport {
    private final List<String> lines = new ArrayList<>();
    private boolean allOk = true;

    public void compare(String what, Tensor expected, Tensor actual, double tolerance) {
        double worst = 0;
        boolean ok = expected.size() == actual.size();
        for (int i = 0; ok && i < expected.size(); i++) {
            double error = Math.abs(expected.at(i) - actual.at(i)) / Math.max(1.0, Math.abs(expected.at(i)));
            worst = Math.max(worst, error);
        }
        ok &= worst <= tolerance;
        allOk &= ok;
        lines.add(String.format(Locale.ROOT, "%-6s %-34s max error %.2e (tolerance %.0e)", ok ? "OK" : "NOT OK",
                what, worst, tolerance));
    }

    /** Prints the report under {@code title} and fails the test if anything disagreed. */
    public void printAndCheck(String title) {
        System.out.println(title + ":\n  " + String.join("\n  ", lines));
        assertTrue(allOk, title + " disagrees:\n  " + String.join("\n  ", lines));
    }
}
