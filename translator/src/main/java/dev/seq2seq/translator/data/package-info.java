/**
 * Text in: {@code TextLines} (strict UTF-8 lines, bounded) and {@code TextFile} (all of a file's
 * lines), the Anki sentence-pair files ({@code PairFileReader}, {@code PairFile}), the limits every
 * input is held to ({@code Limits}), tokens ({@code Level}: characters, words or
 * byte-pair pieces; {@code Words}: where words end, at apostrophes and hyphens or not; {@code Bpe}
 * learns and applies the merges, {@code Tokenizer} is one side's way from text to tokens and back), vocabularies with their reserved ids, whole or cut to the most
 * frequent tokens ({@code Vocabulary}), token ids with the held-out pairs ({@code Corpus},
 * {@code HeldOut}: validation and test sets), and padded batches for teacher forcing
 * ({@code Batch}, {@code Padding}).
 */
package dev.seq2seq.translator.data;
