package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;

/**
 * The tokens a run of steps feeds ({@link TokenStepper#run}), chosen one step at a time from the
 * state the step starts from: a source's characters for an encoder, the last step's most likely
 * tokens for a greedy decoder.
 */
@FunctionalInterface
public interface StepTokens {
    /**
     * The tokens [B] to feed at step {@code t}, given h [B, H], the state step t starts from (the
     * run's first state at t = 0); null to end the run before step t. h is only to be read, and
     * only until this call returns.
     */
    int[] at(int t, Tensor h);
}
