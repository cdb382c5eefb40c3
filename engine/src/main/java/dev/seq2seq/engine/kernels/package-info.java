/**
 * The arithmetic behind every op, written twice behind one interface,
 * {@link dev.seq2seq.engine.kernels.Kernels}: {@code ScalarKernels}, plain loops that define what
 * each kernel means (and the fallback), and the Vector API implementation in {@code vector}.
 * {@link dev.seq2seq.engine.kernels.Backend} chooses one at first use, from the system properties
 * {@code seq2seq.backend}, {@code seq2seq.vectorBits} and {@code seq2seq.threads}, and says so in one
 * line. {@code ParallelKernels} splits big calls across a {@code WorkerPool} with a partition that
 * depends only on the sizes, so results are the same on any number of threads; a recurrence's rows,
 * which a core done early may take over from the other ({@code StepSharing}), are computed the
 * same way whichever core runs them. Work whose parts need each other's results at every step
 * (one sentence's units) runs in lockstep, each part on its own thread for the whole run and the
 * parts meeting once a step ({@code Lockstep}).
 */
package dev.seq2seq.engine.kernels;
