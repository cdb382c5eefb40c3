package dev.seq2seq.translator.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * The references of a test set: for each hypothesis, its one or more reference translations.
 * Sentences may have different numbers of references (the anki files give some sources several
 * translations); sacreBLEU then says {@code nrefs:var}.
 */
public record References(List<List<String>> bySentence) {

    public References {
        bySentence = List.copyOf(bySentence.stream().map(List::copyOf).toList());
        for (int i = 0; i < bySentence.size(); i++) {
            if (bySentence.get(i).isEmpty()) {
                throw new IllegalArgumentException("sentence " + (i + 1) + " has no reference");
            }
        }
    }

    /** One reference per sentence. */
    public static References single(List<String> references) {
        List<List<String>> bySentence = new ArrayList<>(references.size());
        for (String reference : references) {
            bySentence.add(List.of(reference));
        }
        return new References(bySentence);
    }

    /** Parallel reference streams (as from several reference files): stream k holds every sentence's k-th. */
    public static References fromStreams(List<List<String>> streams) {
        if (streams.isEmpty()) {
            throw new IllegalArgumentException("no references");
        }
        int sentences = streams.get(0).size();
        List<List<String>> bySentence = new ArrayList<>(sentences);
        for (int i = 0; i < sentences; i++) {
            List<String> references = new ArrayList<>(streams.size());
            for (List<String> stream : streams) {
                if (stream.size() != sentences) {
                    throw new IllegalArgumentException("reference streams of " + sentences + " and " + stream.size()
                            + " sentences");
                }
                references.add(stream.get(i));
            }
            bySentence.add(references);
        }
        return new References(bySentence);
    }

    public int size() {
        return bySentence.size();
    }

    public List<String> of(int sentence) {
        return bySentence.get(sentence);
    }

    /** All references counted: the report's "N references". */
    public int total() {
        return bySentence.stream().mapToInt(List::size).sum();
    }

    int maxCount() {
        return bySentence.stream().mapToInt(List::size).max().orElse(0);
    }

    boolean sameCount() {
        return bySentence.stream().mapToInt(List::size).distinct().count() <= 1;
    }

    void checkMatches(List<String> hypotheses) {
        if (hypotheses.size() != bySentence.size()) {
            throw new IllegalArgumentException(hypotheses.size() + " hypotheses for the references of "
                    + bySentence.size() + " sentences");
        }
    }
}
