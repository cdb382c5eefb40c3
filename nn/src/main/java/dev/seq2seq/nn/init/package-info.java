/** Weight initialisers as Keras defines them: glorot uniform for kernels, orthogonal for recurrent kernels. */
package dev.seq2seq.nn.init;
