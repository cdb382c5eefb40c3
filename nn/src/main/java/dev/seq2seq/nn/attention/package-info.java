/**
 * Attention over a source sentence: {@code GlobalAttention} (Luong's dot and general scores,
 * Bahdanau's additive one, the context and the attentional state of one decoder step) on the
 * batched, length-masked products of {@code AttentionOps}, each with its backward.
 */
package dev.seq2seq.nn.attention;
