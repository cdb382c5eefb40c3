/**
 * The translator as a library. {@link dev.seq2seq.translator.Translator} is the entry point for
 * programs: load a checkpoint, translate sentences (the best strings, or the n-best with scores,
 * alignments and warnings). Below it: {@code data} (sentence pairs, tokenizers, vocabularies,
 * held-out splits), {@code model} (the encoder-decoder and its checkpoint), {@code train},
 * {@code decode} (greedy and beam search) and {@code eval} (sacreBLEU-equal chrF and BLEU).
 */
package dev.seq2seq.translator;
