/**
 * Layers and training parts built on the engine, with Keras semantics: {@link dev.seq2seq.nn.Dense},
 * {@link dev.seq2seq.nn.Embedding}, the recurrent layers in {@code rnn}, attention in
 * {@code attention}, the fused softmax cross-entropy in {@code loss}, RMSprop in {@code optim},
 * initialisers in {@code init}, and checkpoints in {@code io}. Nothing here knows about translation, characters or sentence files.
 *
 * <p>Shape letters (B, T, H, G, V, in) are those of the engine's package comment.
 */
package dev.seq2seq.nn;
