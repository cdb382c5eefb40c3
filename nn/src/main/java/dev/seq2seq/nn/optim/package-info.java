/**
 * The optimisers behind one {@link dev.seq2seq.nn.optim.Optimizer} interface: RMSprop as Keras
 * computes it (where epsilon goes, and why) and Adam as PyTorch computes it (where the bias
 * corrections go), both with optional clipping by global norm; and
 * {@link dev.seq2seq.nn.optim.WeightAverage}, the moving average of the weights that a run may
 * validate and translate with instead of the weights themselves.
 */
package dev.seq2seq.nn.optim;
