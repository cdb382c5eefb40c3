/** Softmax cross-entropy fused into one op, with a mask for padded positions and its two reductions. */
package dev.seq2seq.nn.loss;
