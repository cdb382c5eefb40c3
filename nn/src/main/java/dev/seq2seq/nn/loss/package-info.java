/**
 * Softmax cross-entropy fused into one op, with a mask for padded positions, its two reductions,
 * and label smoothing.
 */
package dev.seq2seq.nn.loss;
