/** RMSprop as Keras computes it (where epsilon goes, and why), with optional clipping by global norm. */
package dev.seq2seq.nn.optim;
