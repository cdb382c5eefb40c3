package dev.seq2seq.translator.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the word and pieces levels cut a sentence into words, and glue words back into text. Both
 * rules make a word of letters and digits, and a token of every other visible character; they
 * differ on apostrophes and hyphens between letters.
 *
 * <pre>
 *   WHOLE   Qu'est-ce | que | c'est | ?      Aidez-nous | !      I | can't | go | .
 *   SPLIT   Qu' | est | -ce | que | c' | est | ?      Aidez | -nous | !      I | can' | t | go | .
 *           Dis | -m' | en      (a word may both follow a hyphen and end an elision)
 * </pre>
 *
 * WHOLE keeps such words one token: every elided or hyphenated form is a word of its own, most of
 * them rare. On the French side of the anki file, 3.7% of the training tokens fall outside the
 * 8,000 most frequent, and "Aidez-nous", "Regarde-moi" or "l'éventail" are among them. SPLIT lets
 * an apostrophe between letters end its word, and a hyphen between letters start one, so
 * "l'homme" shares "homme" with "un homme" and "Aidez-nous" is two frequent tokens: 2.5% of the
 * tokens fall outside the 8,000, for 9% more tokens per sentence. The rule is the same for every
 * language (no list of clitics): English gets "can'" and "t", which it learns as well.
 *
 * <p>Joining puts a space between tokens, except before ".", "," and ")"; with SPLIT also none after
 * a token ending in an apostrophe, nor before a token that starts with a hyphen and a letter or
 * digit. Text comes back as it was for everything the rule cuts; a hyphen that opens a word after
 * a space ("-5") was a token of its own already, and comes back followed by a space, as with WHOLE.
 */
public enum Words {
    /** Letters and digits with their inner apostrophes and hyphens are one token (every checkpoint before SPLIT). */
    WHOLE("[\\p{L}\\p{N}]+(?:['’-][\\p{L}\\p{N}]+)*|[^\\s\\p{Z}]"),
    /** An apostrophe between letters ends its token ("J'", "ai"); a hyphen between letters starts one ("-nous"). */
    SPLIT("(?:(?<=[\\p{L}\\p{N}])-)?[\\p{L}\\p{N}]+(?:['’](?=[\\p{L}\\p{N}]))?|[^\\s\\p{Z}]");

    private final Pattern token;

    Words(String pattern) {
        this.token = Pattern.compile(pattern);
    }

    /** The Java regular expression of a token (checkpoints record it beside the vocabulary). */
    public String pattern() {
        return token.pattern();
    }

    /** The sentence's words and other visible characters, in order. */
    public List<String> tokens(String sentence) {
        List<String> tokens = new ArrayList<>();
        Matcher matcher = token.matcher(sentence);
        while (matcher.find()) {
            tokens.add(matcher.group());
        }
        return tokens;
    }

    /** Tokens back into text. */
    public String join(List<String> tokens) {
        StringBuilder text = new StringBuilder();
        boolean glueNext = false;
        for (String t : tokens) {
            boolean closing = t.length() == 1 && ".,)".contains(t);
            boolean glueBefore = this == SPLIT && startsWithHyphenedWord(t);
            if (text.length() > 0 && !closing && !glueBefore && !glueNext) {
                text.append(' ');
            }
            text.append(t);
            glueNext = this == SPLIT && t.length() > 1 && (t.endsWith("'") || t.endsWith("’"));
        }
        return text.toString();
    }

    /** "-nous", "-5": what SPLIT cuts after a letter or digit. */
    private static boolean startsWithHyphenedWord(String token) {
        return token.length() > 1 && token.charAt(0) == '-' && Character.isLetterOrDigit(token.codePointAt(1));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT); // as users type it, and picocli completes it
    }
}
