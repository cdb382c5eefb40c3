package dev.seq2seq.app.data;

/** One line of a pair file: a source sentence and its translation, and the line it came from. */
public record SentencePair(String source, String target, int line) {
}
