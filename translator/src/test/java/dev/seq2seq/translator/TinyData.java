package dev.seq2seq.translator;

import dev.seq2seq.translator.data.PairFile;
import dev.seq2seq.translator.data.PairFileReader;
import dev.seq2seq.translator.data.SentencePair;
import dev.seq2seq.translator.model.TrainingState.TrainingSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
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
        StringBuilder text = new StringBuilder();
        pairs.forEach(pair -> text.append(pair.source()).append('\t').append(pair.target()).append('\n'));
        return new PairFile("tiny", "tiny", sha256(text.toString()), pairs, List.of());
    }

    /** The SHA-256 of the text's UTF-8 bytes, in hex, as {@link PairFile#sha256()} gives it. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TrainingSettings settings(int epochs, int batch, float learningRate, double validationSplit) {
        return new TrainingSettings("tiny", null, 0, validationSplit, batch, learningRate, 1f, true, 7, epochs);
    }
}
