/**
 * Attention over a source sentence: {@code GlobalAttention} (Luong's dot and general scores,
 * Bahdanau's additive one, the context and the attentional state of one decoder step) on the
 * batched, length-masked products of {@code AttentionOps}, each with its backward; and
 * {@code InputFeedingStep}, an LSTM decoder's step with input feeding and the dot or general
 * score as one op with the same numbers, for training one step at a time.
 */
package dev.seq2seq.nn.attention;
