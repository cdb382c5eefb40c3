package dev.seq2seq.app;

import dev.seq2seq.app.data.PairFile;
import dev.seq2seq.app.data.PairFileReader;
import dev.seq2seq.app.data.SentencePair;
import dev.seq2seq.app.model.TrainingState.TrainingSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Small data sets cut from the bundled pairs, for tests that train. */
public final class TinyData {
    private TinyData() {
    }

    /** The first {@code count} bundled pairs whose English sentence is not repeated. */
    public static PairFile distinctPairs(int count) {
        PairFile bundled = PairFileReader.readBundled();
        Set<String> seen = new HashSet<>();
        List<SentencePair> pairs = new ArrayList<>();
        for (SentencePair pair : bundled.pairs()) {
            if (seen.add(pair.source())) {
                pairs.add(pair);
            }
            if (pairs.size() == count) {
                break;
            }
        }
        return new PairFile("tiny", List.copyOf(pairs), 0, List.of());
    }

    public static TrainingSettings settings(int epochs, int batch, float learningRate, double validationSplit) {
        return new TrainingSettings("tiny", 0, validationSplit, batch, learningRate, 1f, true, 7, epochs);
    }
}
