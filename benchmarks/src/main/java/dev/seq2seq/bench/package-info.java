/**
 * JMH benchmarks of the hot computations (matmul on the gate shapes and the FMA ceiling, cell steps
 * fused and composed, a greedy decoding step and a greedy sentence, softmax cross-entropy, a word model's output head). Each {@code @Setup} checks
 * that its variants agree before anything is timed; {@code Report} runs them and prints tables.
 */
package dev.seq2seq.bench;
