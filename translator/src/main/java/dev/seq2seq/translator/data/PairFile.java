package dev.seq2seq.translator.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The pairs read from a file, what was skipped and why (with the first few line numbers, so a user
 * can go and look), and the SHA-256 of the file's bytes, by which a checkpoint recognises the data
 * it was trained on.
 *
 * @param source  the file as the user named it, for messages
 * @param data    what a checkpoint records to read it again: the file's absolute path, or "bundled"
 */
public record PairFile(String source, String data, String sha256, List<SentencePair> pairs,
                       List<SkippedLines> skipped) {

    public PairFile {
        pairs = List.copyOf(pairs);
        skipped = List.copyOf(skipped);
    }

    /** Lines skipped for one reason: how many, and the numbers of the first few. */
    public record SkippedLines(String reason, int count, List<Integer> firstLines) {
        public SkippedLines {
            firstLines = List.copyOf(firstLines);
        }
    }

    /** The first {@code count} pairs (all when count is 0 or more than there are). */
    public PairFile first(int count) {
        if (count <= 0 || count >= pairs.size()) {
            return this;
        }
        return new PairFile(source, data, sha256, pairs.subList(0, count), skipped);
    }

    /** One line per reason: "skipped 3 malformed lines of f.txt (no tab, or an empty side; lines 4, 9, 12)". */
    public List<String> skippedSummaries() {
        List<String> summaries = new ArrayList<>();
        for (SkippedLines lines : skipped) {
            StringBuilder numbers = new StringBuilder();
            for (int line : lines.firstLines()) {
                numbers.append(numbers.length() == 0 ? "" : ", ").append(line);
            }
            summaries.add("skipped " + lines.count() + " line" + (lines.count() == 1 ? "" : "s") + " of " + source
                    + " (" + lines.reason() + "; line" + (lines.firstLines().size() == 1 ? " " : "s ") + numbers
                    + (lines.count() > lines.firstLines().size() ? ", ..." : "") + ")");
        }
        return summaries;
    }
}
