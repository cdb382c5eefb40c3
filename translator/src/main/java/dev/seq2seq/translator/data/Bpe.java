package dev.seq2seq.translator.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-pair encoding of words into subword units (Sennrich, Haddow and Birch, 2016), learned from
 * the training sentences of one side.
 *
 * <p>Learning: every word is a sequence of its characters, the last one marked as ending the word
 * ({@code </w>} inside this class). The most frequent pair of adjacent symbols over the whole
 * word list (each word weighted by its count) becomes one symbol, and again, up to the number of
 * merges asked for, or until no pair occurs twice. Ties go to the pair whose symbols sort first,
 * so the same data gives the same merges everywhere.
 *
 * <p>Segmenting a word: start from its characters and apply, again and again, the learned merge of
 * lowest rank that occurs in it, until none does. A frequent word ends as one symbol; a rare one
 * as a few pieces; a word of unseen letters as its characters. Pieces that do not end a word carry
 * the marker {@value #CONTINUATION} (subword-nmt's form: {@code "fro@@ mage"}), so the text is
 * rebuilt by gluing a marked piece to the next.
 */
public final class Bpe {
    /** The suffix of a piece that is continued by the next one. */
    public static final String CONTINUATION = "@@";
    private static final String END_OF_WORD = "</w>";
    /** Segmentations remembered, at most (every word of a whole anki side fits). */
    private static final int CACHE_LIMIT = 200_000;

    /** The merges, in the order learned: "left right" (symbols never hold a space). */
    private final List<String> merges;
    private final Map<String, Integer> rank = new HashMap<>();
    private final Map<String, List<String>> cache = new ConcurrentHashMap<>();

    private Bpe(List<String> merges) {
        this.merges = List.copyOf(merges);
        for (int i = 0; i < merges.size(); i++) {
            rank.putIfAbsent(merges.get(i), i);
        }
    }

    /** The encoding with these merges, as {@link #merges()} gave them (a checkpoint's). */
    public static Bpe of(List<String> merges) {
        for (String merge : merges) {
            int space = merge.indexOf(' ');
            if (space <= 0 || space != merge.lastIndexOf(' ') || space == merge.length() - 1) {
                throw new IllegalArgumentException("a merge is two symbols separated by one space, got '" + merge + "'");
            }
        }
        return new Bpe(merges);
    }

    /**
     * Learns up to {@code count} merges from the words of the sentences (each a list of word tokens,
     * as {@link Level#WORD} cuts them).
     */
    public static Bpe learn(List<List<String>> sentences, int count) {
        Map<String, Integer> wordCounts = new TreeMap<>();
        for (List<String> sentence : sentences) {
            for (String word : sentence) {
                wordCounts.merge(word, 1, Integer::sum);
            }
        }
        return new Learner(wordCounts).learn(count);
    }

    /** The merges, in the order learned. */
    public List<String> merges() {
        return merges;
    }

    /** The pieces of the sentence's words, in order: every piece but a word's last ends with "@@". */
    public List<String> pieces(List<String> words) {
        List<String> pieces = new ArrayList<>();
        for (String word : words) {
            pieces.addAll(segment(word));
        }
        return pieces;
    }

    /** One word's pieces. */
    public List<String> segment(String word) {
        List<String> known = cache.get(word);
        if (known != null) {
            return known;
        }
        List<String> symbols = symbols(word);
        while (symbols.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Integer r = rank.get(symbols.get(i) + ' ' + symbols.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            symbols = mergeAll(symbols, symbols.get(best), symbols.get(best + 1));
        }
        List<String> pieces = new ArrayList<>(symbols.size());
        for (String symbol : symbols) {
            pieces.add(symbol.endsWith(END_OF_WORD) ? symbol.substring(0, symbol.length() - END_OF_WORD.length())
                    : symbol + CONTINUATION);
        }
        List<String> result = Collections.unmodifiableList(pieces);
        if (cache.size() < CACHE_LIMIT) {
            cache.put(word, result);
        }
        return result;
    }

    /** Pieces back into words: a piece marked as continued is glued to the next one. */
    public static List<String> words(List<String> pieces) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (String piece : pieces) {
            if (piece.endsWith(CONTINUATION)) {
                word.append(piece, 0, piece.length() - CONTINUATION.length());
            } else {
                words.add(word.append(piece).toString());
                word.setLength(0);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString()); // an output cut off inside a word
        }
        return words;
    }

    /** The word's characters (code points), the last marked as ending the word. */
    private static List<String> symbols(String word) {
        List<String> symbols = new ArrayList<>(word.length());
        word.codePoints().forEach(c -> symbols.add(new String(Character.toChars(c))));
        int last = symbols.size() - 1;
        symbols.set(last, symbols.get(last) + END_OF_WORD);
        return symbols;
    }

    /** The symbols with every adjacent (left, right), from the left, made one symbol. */
    private static List<String> mergeAll(List<String> symbols, String left, String right) {
        List<String> merged = new ArrayList<>(symbols.size());
        for (int i = 0; i < symbols.size(); i++) {
            if (i + 1 < symbols.size() && symbols.get(i).equals(left) && symbols.get(i + 1).equals(right)) {
                merged.add(left + right);
                i++;
            } else {
                merged.add(symbols.get(i));
            }
        }
        return merged;
    }

    /**
     * The learning loop, with the counts kept up to date: a merge changes only the words that hold
     * its pair, so only their pairs are counted again, and a queue with stale entries skipped finds
     * the most frequent pair without scanning them all.
     */
    private static final class Learner {
        private final List<List<String>> words = new ArrayList<>();
        private final int[] counts;
        /** pair "left right" -> its count over all words */
        private final Map<String, Long> pairCounts = new HashMap<>();
        /** pair -> the words that hold it (some may no longer: checked when used) */
        private final Map<String, List<Integer>> holders = new HashMap<>();
        private final PriorityQueue<Candidate> queue = new PriorityQueue<>();
        /** False while the first counts are taken (they are queued once, at the end). */
        private boolean queueing;

        private record Candidate(String pair, long count) implements Comparable<Candidate> {
            @Override
            public int compareTo(Candidate other) {
                int byCount = Long.compare(other.count, count);
                return byCount != 0 ? byCount : pair.compareTo(other.pair);
            }
        }

        Learner(Map<String, Integer> wordCounts) {
            counts = new int[wordCounts.size()];
            for (Map.Entry<String, Integer> entry : wordCounts.entrySet()) {
                counts[words.size()] = entry.getValue();
                words.add(symbols(entry.getKey()));
            }
            for (int w = 0; w < words.size(); w++) {
                count(w, +1);
            }
            for (Map.Entry<String, Long> entry : pairCounts.entrySet()) {
                queue.add(new Candidate(entry.getKey(), entry.getValue()));
            }
            queueing = true;
        }

        Bpe learn(int count) {
            List<String> merges = new ArrayList<>(count);
            while (merges.size() < count && !queue.isEmpty()) {
                Candidate top = queue.poll();
                long current = pairCounts.getOrDefault(top.pair, 0L);
                if (current != top.count) {
                    continue; // stale: the pair's count changed since this entry was queued
                }
                if (current < 2) {
                    break; // a pair seen once teaches nothing
                }
                merges.add(top.pair);
                int space = top.pair.indexOf(' ');
                String left = top.pair.substring(0, space);
                String right = top.pair.substring(space + 1);
                for (int w : new ArrayList<>(holders.getOrDefault(top.pair, List.of()))) {
                    List<String> symbols = words.get(w);
                    List<String> merged = mergeAll(symbols, left, right);
                    if (merged.size() == symbols.size()) {
                        continue; // listed, but no longer holds the pair
                    }
                    count(w, -1);
                    words.set(w, merged);
                    count(w, +1);
                }
                holders.remove(top.pair);
            }
            return new Bpe(merges);
        }

        /** Adds (or removes) word w's pairs to the counts, and queues the pairs whose count changed. */
        private void count(int w, int sign) {
            List<String> symbols = words.get(w);
            Map<String, Long> changed = new HashMap<>();
            for (int i = 0; i + 1 < symbols.size(); i++) {
                String pair = symbols.get(i) + ' ' + symbols.get(i + 1);
                long now = pairCounts.merge(pair, (long) sign * counts[w], Long::sum);
                changed.put(pair, now);
                if (sign > 0) {
                    holders.computeIfAbsent(pair, p -> new ArrayList<>()).add(w);
                }
            }
            if (queueing) {
                for (Map.Entry<String, Long> entry : changed.entrySet()) {
                    if (entry.getValue() > 0) {
                        queue.add(new Candidate(entry.getKey(), entry.getValue()));
                    }
                }
            }
        }
    }
}
