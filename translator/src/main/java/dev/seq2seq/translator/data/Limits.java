package dev.seq2seq.translator.data;

/**
 * The bounds every input is held to, decided once here and applied where text comes in (pair
 * files, sentences to translate, checkpoints), so nothing downstream meets a sentence it cannot
 * handle.
 */
public final class Limits {
    /**
     * The longest sentence, in characters (Unicode code points), on either side of a pair and in
     * {@code translate}. The whole English-French Anki file's longest is 360; this leaves room for
     * other languages while keeping a padded batch's memory bounded.
     */
    public static final int MAX_SENTENCE_CHARACTERS = 1000;

    /**
     * The longest line of any text file read, in bytes: a pair, the third (attribution) column and
     * UTF-8's up to four bytes a character fit many times over; a file with longer lines (a binary
     * file, /dev/zero) is refused at once instead of being read into memory.
     */
    public static final int MAX_LINE_BYTES = 1 << 16;

    private Limits() {
    }

    /** The sentence's length in characters (code points), as {@link #MAX_SENTENCE_CHARACTERS} counts it. */
    public static int characters(String sentence) {
        return sentence.codePointCount(0, sentence.length());
    }
}
