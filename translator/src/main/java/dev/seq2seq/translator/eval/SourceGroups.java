package dev.seq2seq.translator.eval;

import dev.seq2seq.translator.data.Corpus;
import dev.seq2seq.translator.data.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Held-out pairs grouped by source sentence, in order of first appearance: each distinct source
 * (its text and token ids) with all its distinct references, written the way the model writes
 * (for words: tokens joined back).
 */
record SourceGroups(List<String> sources, List<int[]> sourceIds, List<List<String>> references) {

    /** The first {@code limit} distinct sources of the examples (all when limit is Integer.MAX_VALUE). */
    static SourceGroups of(List<Corpus.Example> examples, Tokenizer targets, int limit) {
        Map<String, Corpus.Example> firstOfSource = new LinkedHashMap<>();
        Map<String, Set<String>> referencesOfSource = new LinkedHashMap<>();
        for (Corpus.Example example : examples) {
            String source = example.pair().source();
            if (firstOfSource.size() == limit && !firstOfSource.containsKey(source)) {
                continue;
            }
            firstOfSource.putIfAbsent(source, example);
            referencesOfSource.computeIfAbsent(source, s -> new LinkedHashSet<>())
                    .add(targets.normalize(example.pair().target()));
        }
        List<String> sources = new ArrayList<>(firstOfSource.keySet());
        List<int[]> sourceIds = new ArrayList<>(sources.size());
        List<List<String>> references = new ArrayList<>(sources.size());
        for (String source : sources) {
            sourceIds.add(firstOfSource.get(source).source());
            references.add(List.copyOf(referencesOfSource.get(source)));
        }
        return new SourceGroups(sources, sourceIds, references);
    }
}
