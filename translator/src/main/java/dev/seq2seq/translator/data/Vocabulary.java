package dev.seq2seq.translator.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Token ids: four reserved ids, then the data's tokens in sorted order (as the seed sorts its
 * characters). The reserved ones are padding (0), start (1, the seed's "\t"), end (2, the
 * seed's "\n") and unknown (3), for a token never seen in training.
 */
public final class Vocabulary {
    public static final int PAD = 0;
    public static final int START = 1;
    public static final int END = 2;
    public static final int UNKNOWN = 3;
    /** The id of the first token of the data, after the reserved ones. */
    public static final int FIRST_DATA_TOKEN = 4;
    static final List<String> RESERVED = List.of("<pad>", "\t", "\n", "<unk>");

    private final List<String> tokens;
    private final Map<String, Integer> ids = new HashMap<>();

    private Vocabulary(List<String> dataTokens) {
        List<String> all = new ArrayList<>(RESERVED);
        all.addAll(dataTokens);
        this.tokens = Collections.unmodifiableList(all);
        for (int i = 0; i < all.size(); i++) {
            ids.putIfAbsent(all.get(i), i);
        }
    }

    /** The reserved tokens, in id order: padding, start, end, unknown. */
    public static List<String> reserved() {
        return RESERVED;
    }

    /** The sorted distinct tokens of the sentences, after the reserved ids. */
    public static Vocabulary build(Collection<List<String>> sentences) {
        TreeSet<String> distinct = new TreeSet<>();
        for (List<String> sentence : sentences) {
            distinct.addAll(sentence);
        }
        distinct.removeAll(RESERVED);
        return new Vocabulary(new ArrayList<>(distinct));
    }

    /**
     * The {@code size} most frequent tokens of the sentences (ties go to the token that sorts first),
     * in sorted order after the reserved ids; every other token will read as {@link #UNKNOWN}. A word
     * vocabulary of a whole anki file has some 30,000 target words, half of them seen once: the
     * output layer's cost grows with the vocabulary, and a word seen once teaches little. A size of
     * 0, or one at least the number of distinct tokens, keeps them all, as {@link #build} does.
     */
    public static Vocabulary mostFrequent(Collection<List<String>> sentences, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("vocabulary size " + size + " < 0");
        }
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> sentence : sentences) {
            for (String token : sentence) {
                counts.merge(token, 1, Integer::sum);
            }
        }
        RESERVED.forEach(counts::remove);
        if (size == 0 || size >= counts.size()) {
            return new Vocabulary(new ArrayList<>(new TreeSet<>(counts.keySet())));
        }
        List<Map.Entry<String, Integer>> ranked = new ArrayList<>(counts.entrySet());
        ranked.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        TreeSet<String> kept = new TreeSet<>();
        for (int i = 0; i < size; i++) {
            kept.add(ranked.get(i).getKey());
        }
        return new Vocabulary(new ArrayList<>(kept));
    }

    /** The vocabulary with exactly these data tokens (as {@link #dataTokens()} gave them). */
    public static Vocabulary of(List<String> dataTokens) {
        return new Vocabulary(dataTokens);
    }

    /** The tokens after the reserved ones, in id order: what a checkpoint stores. */
    public List<String> dataTokens() {
        return tokens.subList(RESERVED.size(), tokens.size());
    }

    public int size() {
        return tokens.size();
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** The token's id, or {@link #UNKNOWN}. */
    public int id(String token) {
        return ids.getOrDefault(token, UNKNOWN);
    }

    public String token(int id) {
        return tokens.get(id);
    }

    /** The tokens of the ids (the inverse of {@link #encode}). */
    public List<String> decode(int[] ids) {
        List<String> decoded = new ArrayList<>(ids.length);
        for (int id : ids) {
            decoded.add(token(id));
        }
        return decoded;
    }

    /** Ids of the tokens. */
    public int[] encode(List<String> sentence) {
        int[] encoded = new int[sentence.size()];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = id(sentence.get(i));
        }
        return encoded;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Vocabulary v && v.tokens.equals(tokens);
    }

    @Override
    public int hashCode() {
        return tokens.hashCode();
    }
}
