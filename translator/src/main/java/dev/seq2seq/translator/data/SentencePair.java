package dev.seq2seq.translator.data;

/** One line of a pair file: a source sentence and its translation, and the line it came from. */
public record SentencePair(String source, String target, int line) {
}
