/**
 * Reverse-mode automatic differentiation on a tape. Each op computes its output and, when a
 * {@link dev.seq2seq.engine.autograd.Tape} is active, records a backward function written right
 * under the forward; {@code Tape.backward} walks the records in reverse and accumulates
 * gradients. Inference runs with the tape paused and records nothing.
 *
 * <p>The ops are grouped by kind: {@code MatrixOps} (products, a dense layer's product and bias,
 * sums, scaling), {@code ActivationOps} (sigmoid, tanh), {@code SoftmaxOps}, {@code ShapeOps}
 * (views, slices, concatenation). Every one is checked against central differences in the tests.
 * {@code OpProfile}, attached to a tape, times every recorded op forward and backward.
 * {@code PackedWeights} holds a decoding run's weight matrices packed once, which the products
 * read while its scope is open.
 */
package dev.seq2seq.engine.autograd;
