package dev.seq2seq.app.data;

import java.util.List;

/**
 * The pairs read from a file, and what was skipped: how many malformed lines, and the first few
 * line numbers, so a user can go and look.
 */
public record PairFile(String source, List<SentencePair> pairs, int skipped, List<Integer> firstSkippedLines) {

    /** The first {@code count} pairs (all when count is 0 or more than there are). */
    public PairFile first(int count) {
        if (count <= 0 || count >= pairs.size()) {
            return this;
        }
        return new PairFile(source, List.copyOf(pairs.subList(0, count)), skipped, firstSkippedLines);
    }

    /** "skipped 3 malformed lines (lines 4, 9, 12)" or an empty string. */
    public String skippedSummary() {
        if (skipped == 0) {
            return "";
        }
        StringBuilder lines = new StringBuilder();
        for (int line : firstSkippedLines) {
            lines.append(lines.length() == 0 ? "" : ", ").append(line);
        }
        return "skipped " + skipped + " malformed line" + (skipped == 1 ? "" : "s") + " of " + source
                + " (no tab, or an empty side; line" + (firstSkippedLines.size() == 1 ? " " : "s ") + lines
                + (skipped > firstSkippedLines.size() ? ", ..." : "") + ")";
    }
}
