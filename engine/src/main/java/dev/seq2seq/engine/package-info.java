/**
 * The numerical engine: float32 {@link dev.seq2seq.engine.Tensor}s (row-major, contiguous, a
 * shape, optionally a gradient), the kernels that compute on them, and a tape for reverse-mode
 * autograd. Nothing here knows about layers or translation.
 *
 * <p>Where to start: {@link dev.seq2seq.engine.Tensor}, then {@code kernels.Kernels} (every kernel
 * with its meaning) and {@code kernels.ScalarKernels} (their plain-loop definitions), then
 * {@code autograd.Tape} and the ops in {@code autograd}, each forward with its backward under it.
 *
 * <p>Letters used in shape comments throughout the engine and nn packages:
 * <pre>
 *   B  batch: rows processed together        T  time steps (padded sequence length)
 *   H  hidden units of a recurrent layer     G  gates of a cell (4 for the LSTM, 3 for the GRU)
 *   V  vocabulary size (classes of the output layer)
 *   in input features of a layer             m, k, n  the sizes of a product [m, k] . [k, n]
 * </pre>
 */
package dev.seq2seq.engine;
