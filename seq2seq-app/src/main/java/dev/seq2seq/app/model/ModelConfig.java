package dev.seq2seq.app.model;

import dev.seq2seq.app.data.Level;
import dev.seq2seq.app.data.Padding;
import dev.seq2seq.app.data.Vocabulary;
import java.util.List;

/**
 * Everything needed to rebuild a model before its weights are loaded; stored in the checkpoint's
 * metadata, so a checkpoint is self-contained.
 *
 * @param maxSourceLength longest training source, in tokens
 * @param maxTargetLength longest training target, in tokens (without start and end): the default
 *                        decoding limit is this plus a margin
 */
public record ModelConfig(Level level, String cell, int latent, Padding padding,
                          List<String> sourceTokens, List<String> targetTokens,
                          int maxSourceLength, int maxTargetLength, long seed) {

    public ModelConfig {
        if (!cell.equals("lstm") && !cell.equals("gru")) {
            throw new IllegalArgumentException("cell must be lstm or gru, got '" + cell + "'");
        }
        if (latent < 1) {
            throw new IllegalArgumentException("latent size must be positive, got " + latent);
        }
        sourceTokens = List.copyOf(sourceTokens);
        targetTokens = List.copyOf(targetTokens);
    }

    public Vocabulary sourceVocabulary() {
        return Vocabulary.of(sourceTokens);
    }

    public Vocabulary targetVocabulary() {
        return Vocabulary.of(targetTokens);
    }
}
