/**
 * The Vector API kernels ({@code jdk.incubator.vector}); the only package that imports it, loaded
 * by reflection only when the module is readable. {@code VectorGemm} and {@code GemmTiles} are the
 * matrix product (k blocking, register tiles); {@code VectorMath} the elementwise kernels (a vector
 * loop, then a scalar tail); {@code Transcendentals} exp, sigmoid and tanh from plain IEEE
 * arithmetic, so results do not change when the JIT compiles a method. Each kernel is tested
 * against its scalar twin on odd sizes.
 */
package dev.seq2seq.engine.kernels.vector;
