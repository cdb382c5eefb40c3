package dev.seq2seq.app.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.seq2seq.translator.Translator;
import dev.seq2seq.translator.data.Limits;
import dev.seq2seq.translator.decode.DecodeOptions;
import dev.seq2seq.translator.decode.SentenceTranslation;
import dev.seq2seq.translator.decode.Translation;
import dev.seq2seq.translator.decode.TranslationJson;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of OpenNMT-py's REST server, read and written: a request is {@code [{"src": "...",
 * "id": 100}, ...]}; the answer is one array per rank of the n-best, each holding one object per
 * input, {@code {"src", "tgt", "n_best", "pred_score"}}, plus {@code "align"} (Pharaoh i-j pairs)
 * for a model with attention. So {@code answer[0][i]} is the best translation of input i.
 *
 * <p>Beyond OpenNMT-py, each item may carry {@code "beam_size"} and {@code "n_best"} (the same in
 * every item of a request), and {@code "attention": true}, which adds the weights and both token
 * lists (for a heat-map); answers carry {@code "warnings"} when there are some.
 */
final class TranslationApi {
    /** A request the client got wrong: its HTTP status and the reason. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** What a request asks for. */
    record Request(List<String> sources, DecodeOptions options, boolean withAttention) {
    }

    private final Translator translator;
    private final int modelId;
    private final int maxSentences;

    TranslationApi(Translator translator, int modelId, int maxSentences) {
        this.translator = translator;
        this.modelId = modelId;
        this.maxSentences = maxSentences;
    }

    /** Reads a request body, refusing (with the item's position) what cannot be translated. */
    Request parse(String body) throws BadRequest {
        JsonElement root;
        try {
            root = JsonParser.parseString(body);
        } catch (JsonParseException e) {
            throw new BadRequest(400, "the body is not JSON: " + rootCause(e));
        }
        if (!root.isJsonArray()) {
            throw new BadRequest(400, "the body must be a JSON array of {\"src\": ..., \"id\": ...} objects");
        }
        JsonArray items = root.getAsJsonArray();
        if (items.isEmpty()) {
            throw new BadRequest(400, "the array is empty: nothing to translate");
        }
        if (items.size() > maxSentences) {
            throw new BadRequest(413, items.size() + " sentences in one request; at most " + maxSentences);
        }
        List<String> sources = new ArrayList<>();
        Integer beam = null;
        Integer nBest = null;
        boolean withAttention = false;
        for (int i = 0; i < items.size(); i++) {
            String where = "item " + i;
            if (!items.get(i).isJsonObject()) {
                throw new BadRequest(400, where + " is not an object");
            }
            JsonObject item = items.get(i).getAsJsonObject();
            sources.add(source(item, where));
            checkModel(item, where);
            beam = agreed(beam, integer(item, "beam_size", where, 1, DecodeOptions.MAX_BEAM), "beam_size", where);
            nBest = agreed(nBest, integer(item, "n_best", where, 1, DecodeOptions.MAX_BEAM), "n_best", where);
            withAttention |= item.has("attention") && item.get("attention").isJsonPrimitive()
                    && item.get("attention").getAsJsonPrimitive().isBoolean() && item.get("attention").getAsBoolean();
        }
        DecodeOptions options = translator.defaultOptions();
        if (beam != null) {
            options = options.withBeam(beam);
        }
        if (nBest != null) {
            if (nBest > options.beam()) {
                throw new BadRequest(400, "n_best " + nBest + " is more than the beam_size " + options.beam());
            }
            options = options.withNBest(nBest);
        }
        return new Request(sources, options, withAttention && translator.attends());
    }

    /** One request decodes with one set of options: items may leave an option out, not contradict another. */
    private static Integer agreed(Integer sofar, Integer asked, String name, String where) throws BadRequest {
        if (sofar != null && asked != null && !sofar.equals(asked)) {
            throw new BadRequest(400, where + " asks for " + name + " " + asked + ", an earlier item for " + sofar
                    + "; one request has one " + name);
        }
        return sofar != null ? sofar : asked;
    }

    private static String source(JsonObject item, String where) throws BadRequest {
        JsonElement src = item.get("src");
        if (src == null || src.isJsonNull()) {
            throw new BadRequest(400, where + " has no \"src\"");
        }
        if (!src.isJsonPrimitive() || !src.getAsJsonPrimitive().isString()) {
            throw new BadRequest(400, where + ": \"src\" must be a string");
        }
        String text = src.getAsString();
        int characters = Limits.characters(text.strip());
        if (characters > Limits.MAX_SENTENCE_CHARACTERS) {
            throw new BadRequest(413, where + ": a sentence of " + characters + " characters; at most "
                    + Limits.MAX_SENTENCE_CHARACTERS);
        }
        return text;
    }

    /** OpenNMT-py's "id" names the model; this server has one. */
    private void checkModel(JsonObject item, String where) throws BadRequest {
        JsonElement id = item.get("id");
        if (id == null || id.isJsonNull()) {
            return;
        }
        if (!id.isJsonPrimitive() || !id.getAsJsonPrimitive().isNumber() || id.getAsDouble() != modelId) {
            throw new BadRequest(404, where + ": no model with id " + id + "; this server has model " + modelId);
        }
    }

    private static Integer integer(JsonObject item, String name, String where, int min, int max) throws BadRequest {
        JsonElement value = item.get(name);
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()
                || value.getAsDouble() != Math.rint(value.getAsDouble())
                || value.getAsDouble() < min || value.getAsDouble() > max) {
            throw new BadRequest(400, where + ": \"" + name + "\" must be a whole number from " + min + " to " + max
                    + ", got " + value);
        }
        return value.getAsInt();
    }

    /** The answer: {@code answer[k][i]} is the (k+1)-th best output for input i. */
    JsonArray answer(Request request, List<SentenceTranslation> translated) {
        int nBest = request.options().nBest();
        JsonArray ranks = new JsonArray();
        for (int k = 0; k < nBest; k++) {
            JsonArray rank = new JsonArray();
            for (int i = 0; i < translated.size(); i++) {
                SentenceTranslation sentence = translated.get(i);
                // The search may find fewer than n outputs; the last one found fills the rank.
                Translation output = sentence.nBest().get(Math.min(k, sentence.nBest().size() - 1));
                JsonObject item = new JsonObject();
                item.addProperty("src", request.sources().get(i));
                item.addProperty("tgt", output.text());
                item.addProperty("n_best", nBest);
                item.addProperty("pred_score", output.score());
                if (output.attention() != null) {
                    item.addProperty("align", output.alignment());
                    if (request.withAttention()) {
                        item.add("attention", TranslationJson.weights(output.attention()));
                        item.add("src_tokens", strings(output.sourceTokens()));
                        item.add("tgt_tokens", strings(output.outputTokens()));
                    }
                }
                List<String> warnings = sentence.warnings(translator.config().level().unit(),
                        translator.config().maxSourceLength());
                if (!warnings.isEmpty()) {
                    item.add("warnings", strings(warnings));
                }
                rank.add(item);
            }
            ranks.add(rank);
        }
        return ranks;
    }

    /** {@code GET /translator/models}: the one model, as OpenNMT-py lists its models. */
    JsonArray models(String file) {
        JsonObject model = new JsonObject();
        model.addProperty("model_id", modelId);
        model.addProperty("loaded", true);
        model.addProperty("timeout", -1);
        JsonObject opt = new JsonObject();
        opt.addProperty("models", file);
        opt.addProperty("level", translator.config().level().toString());
        opt.addProperty("cell", translator.config().cell().toString());
        opt.addProperty("latent", translator.config().latent());
        opt.addProperty("attention", translator.config().attention().toString());
        opt.addProperty("beam_size", translator.defaultOptions().beam());
        opt.addProperty("n_best", translator.defaultOptions().nBest());
        opt.addProperty("max_length", translator.defaultOptions().maxLength());
        model.add("opt", opt);
        JsonArray models = new JsonArray();
        models.add(model);
        return models;
    }

    /** {@code {"error": ..., "status": "error"}}, as OpenNMT-py reports errors. */
    static JsonObject error(String message) {
        JsonObject error = new JsonObject();
        error.addProperty("error", message);
        error.addProperty("status", "error");
        return error;
    }

    private static JsonArray strings(List<String> values) {
        JsonArray array = new JsonArray();
        values.forEach(value -> array.add(new JsonPrimitive(value)));
        return array;
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
