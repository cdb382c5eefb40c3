package dev.seq2seq.translator.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the scores the real sacreBLEU computed on the test sets of
 * {@code golden/sacrebleu.json} (written by tools/golden/make_metric_fixtures.py): the corpus
 * chrF2, chrF2++, BLEU 13a and BLEU intl with their signatures, every sentence chrF2, and each
 * tokenizer's output on awkward strings.
 */
class SacreBleuGoldenTest {
    /** sacreBLEU's sums are the same integers; the last digits of a double may differ by the order of a sum. */
    private static final double TOLERANCE = 1e-9;

    private static JsonObject fixture() throws IOException {
        try (InputStream in = SacreBleuGoldenTest.class.getResourceAsStream("/golden/sacrebleu.json")) {
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    static Stream<Arguments> sets() throws IOException {
        List<Arguments> sets = new ArrayList<>();
        for (JsonElement set : fixture().getAsJsonArray("sets")) {
            sets.add(Arguments.of(set.getAsJsonObject().get("name").getAsString(), set.getAsJsonObject()));
        }
        return sets.stream();
    }

    static Stream<Arguments> tokenized() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        for (JsonElement entry : fixture().getAsJsonArray("tokenized")) {
            JsonObject object = entry.getAsJsonObject();
            cases.add(Arguments.of(object.get("text").getAsString(), object.get("13a").getAsString(),
                    object.get("intl").getAsString()));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sets")
    void corpusScoresAndSignaturesEqualSacreBleus(String name, JsonObject set) {
        List<String> hypotheses = strings(set.getAsJsonArray("hypotheses"));
        List<List<String>> bySentence = new ArrayList<>();
        for (JsonElement references : set.getAsJsonArray("references")) {
            bySentence.add(strings(references.getAsJsonArray()));
        }
        References references = new References(bySentence);
        JsonObject expected = set.getAsJsonObject("scores");

        check(expected.getAsJsonObject("chrF2"), ChrF.CHRF2.corpus(hypotheses, references));
        check(expected.getAsJsonObject("chrF2++"), ChrF.CHRF2_PLUS_PLUS.corpus(hypotheses, references));
        check(expected.getAsJsonObject("BLEU"), new Bleu(BleuTokenizer.THIRTEEN_A).corpus(hypotheses, references));
        check(expected.getAsJsonObject("BLEU-intl"), new Bleu(BleuTokenizer.INTL).corpus(hypotheses, references));

        JsonArray sentenceScores = expected.getAsJsonArray("sentence chrF2");
        for (int i = 0; i < hypotheses.size(); i++) {
            assertEquals(sentenceScores.get(i).getAsDouble(), ChrF.CHRF2.sentence(hypotheses.get(i), references.of(i)),
                    TOLERANCE, "sentence " + (i + 1) + ": " + hypotheses.get(i));
        }
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("tokenized")
    void tokenizersCutTextAsSacreBleusDo(String text, String thirteenA, String intl) {
        String trimmed = UnicodeSpaces.trailingRemoved(text);
        assertEquals(thirteenA, BleuTokenizer.THIRTEEN_A.apply(trimmed));
        assertEquals(intl, BleuTokenizer.INTL.apply(trimmed));
    }

    private static void check(JsonObject expected, MetricScore actual) {
        assertEquals(expected.get("name").getAsString(), actual.name());
        assertEquals(expected.get("score").getAsDouble(), actual.score(), TOLERANCE, actual.name());
        String signature = expected.get("signature").getAsString().replaceFirst("\\|version:[^|]*$", "");
        assertEquals(signature, actual.signature(), actual.name() + "'s signature");
    }

    private static List<String> strings(JsonArray array) {
        List<String> strings = new ArrayList<>(array.size());
        array.forEach(element -> strings.add(element.getAsString()));
        return strings;
    }
}
