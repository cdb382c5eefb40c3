package dev.seq2seq.translator.decode;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * Translations as JSON objects, the shape {@code translate --format jsonl} prints and a client of a
 * translation service reads: {@code {"src": ..., "n_best": [{"tgt": ..., "score": ...,
 * "align": "0-0 1-1 ..."}, ...]}}, scores being total log-probabilities after the length penalty,
 * best first; {@code align} (the source token each output token attends to most, as Pharaoh i-j
 * pairs) only for a model with attention, and with the weights asked for, {@code attention} (one
 * row per output token, one weight per source token, rounded to 4 decimals).
 */
public final class TranslationJson {
    private TranslationJson() {
    }

    /** One sentence and its n-best outputs. */
    public static JsonObject of(String source, List<Translation> nBest, boolean withWeights) {
        JsonObject line = new JsonObject();
        line.addProperty("src", source);
        JsonArray outputs = new JsonArray();
        for (Translation translation : nBest) {
            outputs.add(output(translation, withWeights));
        }
        line.add("n_best", outputs);
        return line;
    }

    /** One output: {@code {"tgt": ..., "score": ..., "align": ..., "attention": ...}}. */
    public static JsonObject output(Translation translation, boolean withWeights) {
        JsonObject output = new JsonObject();
        output.addProperty("tgt", translation.text());
        output.addProperty("score", translation.score());
        if (translation.attention() != null) {
            output.addProperty("align", translation.alignment());
            if (withWeights) {
                output.add("attention", weights(translation.attention()));
            }
        }
        return output;
    }

    /** The attention matrix as rows of weights rounded to 4 decimals (enough for any picture). */
    public static JsonArray weights(float[][] attention) {
        JsonArray rows = new JsonArray();
        for (float[] row : attention) {
            JsonArray weights = new JsonArray();
            for (float weight : row) {
                weights.add(Math.round(weight * 1e4) / 1e4);
            }
            rows.add(weights);
        }
        return rows;
    }
}
