package dev.seq2seq.translator.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Whitespace as sacreBLEU sees it: the characters Python's {@code str.split()} splits on. That is
 * every Unicode space separator (among them the no-break spaces U+00A0 and U+202F that French
 * puts before ? ! : ; and inside guillemets), the ASCII controls TAB to CR and FS to US, NEL, and
 * the line and paragraph separators. Java's {@code \s} matches only the ASCII ones, which made
 * the old chrF count a no-break space as a character: 27.01 where sacreBLEU says 27.10.
 */
final class UnicodeSpaces {
    private UnicodeSpaces() {
    }

    /** True for the characters Python 3's {@code str.isspace()} accepts. */
    static boolean isSpace(int codePoint) {
        return (codePoint >= 0x09 && codePoint <= 0x0D) || (codePoint >= 0x1C && codePoint <= 0x20)
                || codePoint == 0x85 || codePoint == 0xA0 || codePoint == 0x1680
                || (codePoint >= 0x2000 && codePoint <= 0x200A) || codePoint == 0x2028 || codePoint == 0x2029
                || codePoint == 0x202F || codePoint == 0x205F || codePoint == 0x3000;
    }

    /** The words between runs of spaces, as {@code text.split()} in Python (no empty words). */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (isSpace(codePoint)) {
                if (start >= 0) {
                    words.add(text.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(codePoint);
        }
        if (start >= 0) {
            words.add(text.substring(start));
        }
        return words;
    }

    /** The text with every space removed, as {@code ''.join(text.split())}. */
    static String removed(String text) {
        StringBuilder kept = new StringBuilder(text.length());
        text.codePoints().filter(c -> !isSpace(c)).forEach(kept::appendCodePoint);
        return kept.toString();
    }

    /** The text without its trailing spaces, as {@code text.rstrip()}. */
    static String trailingRemoved(String text) {
        int end = text.length();
        while (end > 0 && isSpace(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(0, end);
    }

    /** The words joined by single spaces, as {@code ' '.join(text.split())}. */
    static String normalized(String text) {
        return String.join(" ", words(text));
    }
}
