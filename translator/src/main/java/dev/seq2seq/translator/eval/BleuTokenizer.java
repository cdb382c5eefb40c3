package dev.seq2seq.translator.eval;

import java.util.regex.Pattern;

/**
 * How BLEU cuts text into words, as sacreBLEU's tokenizers of the same names. The result is the
 * tokens joined by single spaces.
 */
public enum BleuTokenizer {
    /**
     * mteval-v13a, the standard for reported BLEU: the ASCII punctuation marks and symbols other
     * than the apostrophe and the hyphen become words of their own; so do a period or a comma
     * unless both neighbours are digits (3,50 and 1.5 stay whole), and a hyphen after a digit.
     * So "dit-il" and "c'est" stay one word each, and nothing outside ASCII is split off.
     */
    THIRTEEN_A("13a") {
        @Override
        public String apply(String line) {
            line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
            if (line.indexOf('&') >= 0) {
                line = line.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
            }
            line = " " + line + " ";
            line = ASCII_PUNCTUATION.matcher(line).replaceAll(" $1 ");
            line = PERIOD_COMMA_AFTER_NON_DIGIT.matcher(line).replaceAll("$1 $2 ");
            line = PERIOD_COMMA_BEFORE_NON_DIGIT.matcher(line).replaceAll(" $1 $2");
            line = DASH_AFTER_DIGIT.matcher(line).replaceAll("$1 $2 ");
            return UnicodeSpaces.normalized(line);
        }
    },
    /**
     * mteval-v14's international tokenization: every Unicode punctuation mark not between two
     * digits, and every symbol, becomes a word ("Qu ' est - ce").
     */
    INTL("intl") {
        @Override
        public String apply(String line) {
            line = PUNCTUATION_AFTER_NON_NUMBER.matcher(line).replaceAll("$1 $2 ");
            line = PUNCTUATION_BEFORE_NON_NUMBER.matcher(line).replaceAll(" $1 $2");
            line = SYMBOL.matcher(line).replaceAll(" $1 ");
            return UnicodeSpaces.normalized(line);
        }
    },
    /** Words are what spaces separate. */
    NONE("none") {
        @Override
        public String apply(String line) {
            return UnicodeSpaces.normalized(line);
        }
    };

    // 13a: { to ~, [ to `, space to &, ( to +, : to @, and /
    private static final Pattern ASCII_PUNCTUATION = Pattern.compile("([{-~\\[-` -&(-+:-@/])");
    private static final Pattern PERIOD_COMMA_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([.,])");
    private static final Pattern PERIOD_COMMA_BEFORE_NON_DIGIT = Pattern.compile("([.,])([^0-9])");
    private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");
    // intl: Unicode categories N (numbers), P (punctuation), S (symbols)
    private static final Pattern PUNCTUATION_AFTER_NON_NUMBER = Pattern.compile("(\\P{N})(\\p{P})");
    private static final Pattern PUNCTUATION_BEFORE_NON_NUMBER = Pattern.compile("(\\p{P})(\\P{N})");
    private static final Pattern SYMBOL = Pattern.compile("(\\p{S})");

    private final String signature;

    BleuTokenizer(String signature) {
        this.signature = signature;
    }

    /** The tokenized line, tokens separated by single spaces. */
    public abstract String apply(String line);

    /** Its name in sacreBLEU's signature and on the command line: 13a, intl or none. */
    public String signature() {
        return signature;
    }

    /** The tokenizer of that name. */
    public static BleuTokenizer named(String name) {
        for (BleuTokenizer tokenizer : values()) {
            if (tokenizer.signature.equals(name)) {
                return tokenizer;
            }
        }
        throw new IllegalArgumentException("unknown BLEU tokenizer '" + name + "': expected 13a, intl or none");
    }
}
