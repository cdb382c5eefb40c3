package dev.seq2seq.translator.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.seq2seq.nn.io.CheckpointException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Reads one JSON object of a checkpoint's metadata field by field, each value checked against
 * what the program can use. A bad value gives one {@link CheckpointException} naming the file,
 * the field ({@code config.latent}) and what was expected, before anything is allocated from it.
 */
final class MetadataReader {
    private final Path file;
    private final String path;
    private final JsonObject object;

    private MetadataReader(Path file, String path, JsonObject object) {
        this.file = file;
        this.path = path;
        this.object = object;
    }

    /** The object in metadata entry {@code name}. */
    static MetadataReader parse(Path file, String name, String json) throws CheckpointException {
        if (json == null) {
            throw new CheckpointException(file, "the metadata has no '" + name + "' entry");
        }
        try {
            JsonElement parsed = JsonParser.parseString(json);
            if (!parsed.isJsonObject()) {
                throw new CheckpointException(file, "metadata '" + name + "' is not a JSON object");
            }
            return new MetadataReader(file, name, parsed.getAsJsonObject());
        } catch (JsonParseException e) {
            throw new CheckpointException(file, "metadata '" + name + "' is not well-formed JSON (" + e.getMessage()
                    + ")");
        }
    }

    boolean has(String field) {
        return object.has(field) && !object.get(field).isJsonNull();
    }

    private CheckpointException bad(String field, String problem) {
        return new CheckpointException(file, "metadata field " + path + "." + field + " " + problem);
    }

    /** The field's value, which must be there and be of the kind {@code is} accepts ({@code kind} names it). */
    private JsonElement required(String field, Predicate<JsonElement> is, String kind) throws CheckpointException {
        if (!has(field)) {
            throw bad(field, "is missing");
        }
        JsonElement value = object.get(field);
        if (!is.test(value)) {
            throw bad(field, "is " + abbreviated(value) + ", not " + kind);
        }
        return value;
    }

    private JsonPrimitive primitive(String field) throws CheckpointException {
        return required(field, JsonElement::isJsonPrimitive, "a single value").getAsJsonPrimitive();
    }

    String string(String field) throws CheckpointException {
        JsonPrimitive value = primitive(field);
        if (!value.isString()) {
            throw bad(field, "is " + abbreviated(value) + ", not a string");
        }
        return value.getAsString();
    }

    boolean bool(String field) throws CheckpointException {
        JsonPrimitive value = primitive(field);
        if (!value.isBoolean()) {
            throw bad(field, "is " + abbreviated(value) + ", not true or false");
        }
        return value.getAsBoolean();
    }

    /** A number in [min, max] (NaN never is). */
    double number(String field, double min, double max) throws CheckpointException {
        return number(field, min, max, false);
    }

    /** A number in [min, max], or NaN where {@code nanAllowed} (a measurement that was not made). */
    double number(String field, double min, double max, boolean nanAllowed) throws CheckpointException {
        JsonPrimitive value = primitive(field);
        double number;
        try {
            number = value.getAsDouble(); // "Infinity" and "NaN" too, as Gson writes them
        } catch (NumberFormatException | UnsupportedOperationException e) {
            throw bad(field, "is " + abbreviated(value) + ", not a number");
        }
        if (!(number >= min && number <= max) && !(nanAllowed && Double.isNaN(number))) {
            throw bad(field, "is " + number + "; expected a number from " + min + " to " + max);
        }
        return number;
    }

    /** A whole number in [min, max]. */
    long integer(String field, long min, long max) throws CheckpointException {
        JsonPrimitive value = primitive(field);
        long number;
        try {
            number = value.getAsBigDecimal().longValueExact();
        } catch (NumberFormatException | ArithmeticException | UnsupportedOperationException e) {
            throw bad(field, "is " + abbreviated(value) + ", not a whole number");
        }
        if (number < min || number > max) {
            throw bad(field, "is " + number + "; expected " + min + " to " + max);
        }
        return number;
    }

    int integer(String field, int min, int max) throws CheckpointException {
        return (int) integer(field, (long) min, (long) max);
    }

    /** One of the enum's constants, by name, in any case. */
    <E extends Enum<E>> E choice(String field, Class<E> type) throws CheckpointException {
        String value = string(field);
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
            names.add(constant.name().toLowerCase(Locale.ROOT));
        }
        throw bad(field, "is '" + abbreviated(new JsonPrimitive(value)) + "'; expected one of " + names);
    }

    /** A list of strings, each one not empty. */
    List<String> strings(String field) throws CheckpointException {
        List<String> strings = new ArrayList<>();
        for (JsonElement item : array(field)) {
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString() || item.getAsString().isEmpty()) {
                throw bad(field, "holds " + abbreviated(item) + " at index " + strings.size()
                        + ", not a non-empty string");
            }
            strings.add(item.getAsString());
        }
        return strings;
    }

    /** A list of objects, each read by the returned readers. */
    List<MetadataReader> objects(String field) throws CheckpointException {
        List<MetadataReader> objects = new ArrayList<>();
        for (JsonElement item : array(field)) {
            if (!item.isJsonObject()) {
                throw bad(field, "holds " + abbreviated(item) + " at index " + objects.size() + ", not an object");
            }
            objects.add(new MetadataReader(file, path + "." + field + "[" + objects.size() + "]",
                    item.getAsJsonObject()));
        }
        return objects;
    }

    MetadataReader object(String field) throws CheckpointException {
        return new MetadataReader(file, path + "." + field,
                required(field, JsonElement::isJsonObject, "an object").getAsJsonObject());
    }

    private JsonArray array(String field) throws CheckpointException {
        return required(field, JsonElement::isJsonArray, "a list").getAsJsonArray();
    }

    /** A value as it appears in the file, cut short: messages quote it, never a megabyte of it. */
    private static String abbreviated(JsonElement value) {
        String text = value.isJsonPrimitive() && value.getAsJsonPrimitive().isString() ? value.getAsString()
                : value.toString();
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
