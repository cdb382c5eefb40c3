package dev.seq2seq.translator.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a sentence is cut into tokens: characters (the seed's model), words (its word-level
 * variant, with Embedding layers), or subword pieces of words ({@link Bpe}, with Embedding layers).
 * A pieces level needs the learned merges to cut a sentence: {@link #tokens} gives the words to be
 * cut, and {@link Tokenizer} does the whole job for every level.
 */
public enum Level {
    CHAR {
        @Override
        public List<String> tokens(String sentence) {
            List<String> tokens = new ArrayList<>(sentence.length());
            sentence.codePoints().forEach(c -> tokens.add(new String(Character.toChars(c))));
            return tokens;
        }

        @Override
        public String join(List<String> tokens) {
            return String.join("", tokens);
        }
    },
    WORD {
        private final Pattern token = Pattern.compile(WORD_PATTERN);

        @Override
        public List<String> tokens(String sentence) {
            List<String> tokens = new ArrayList<>();
            Matcher matcher = token.matcher(sentence);
            while (matcher.find()) {
                tokens.add(matcher.group());
            }
            return tokens;
        }

        @Override
        public String join(List<String> tokens) {
            StringBuilder text = new StringBuilder();
            for (String t : tokens) {
                boolean closing = t.length() == 1 && ".,)".contains(t);
                if (text.length() > 0 && !closing) {
                    text.append(' ');
                }
                text.append(t);
            }
            return text.toString();
        }
    },
    BPE {
        /** The words, before {@link Bpe} cuts them into pieces. */
        @Override
        public List<String> tokens(String sentence) {
            return WORD.tokens(sentence);
        }

        /** Pieces glued back into words (a piece ending with "@@" to the next), then joined as words. */
        @Override
        public String join(List<String> tokens) {
            return WORD.join(Bpe.words(tokens));
        }
    };

    /**
     * A word token: letters and digits with inner apostrophes and hyphens, or one other visible
     * character (a Java regular expression; checkpoints record it).
     */
    public static final String WORD_PATTERN = "[\\p{L}\\p{N}]+(?:['’-][\\p{L}\\p{N}]+)*|[^\\s\\p{Z}]";

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT); // as users type it, and picocli completes it
    }

    /** True when tokens are looked up in an Embedding table (words and pieces), not one-hot (characters). */
    public boolean embedded() {
        return this != CHAR;
    }

    /** What a token is called in messages. */
    public String unit() {
        return switch (this) {
            case CHAR -> "characters";
            case WORD -> "words";
            case BPE -> "pieces";
        };
    }

    /** The sentence's tokens, in order. */
    public abstract List<String> tokens(String sentence);

    /** Tokens back into text. */
    public abstract String join(List<String> tokens);
}
