package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.kernels.ParallelKernels;

/**
 * One {@link TokenStepper#run} of a {@link UnitSplitStepper} with its ranges of units on as many
 * threads at once, through the whole run ({@link ParallelKernels#inLockstep}): at every step each
 * thread chooses the step's tokens from the whole h (its own {@link StepTokens}), then computes
 * its units of the new state, exactly as {@link UnitSplitStepper#step} does, and meets the others.
 * Stepping through {@code step} costs each step a hand-off to the other core and a wait for it to
 * finish, with the choice of the next tokens (a decoder's output layer) on one core in between; a
 * run costs each step one meeting, and each core makes that choice itself. The output layer is
 * then computed twice: shared out, its halves would need a second meeting a step, which costs
 * about as much as the half each core would save (0.4-0.6 us of float32 weights).
 *
 * <p>The new states go into two sets of arrays, step t writing set t % 2 while every thread reads
 * the set step t - 1 wrote. A set is written again at step t + 2, after every thread has met the
 * others at the end of step t + 1, so after every read of it.
 */
final class LockstepRun<S extends RecurrentState> {
    private final GatedRecurrentLayer<S> layer;
    private final int[] first;
    private final int[] width;
    private final UnitPanel[] panels;
    private final S start;
    private final int[] lengths;
    private final StepTokens[] tokens;
    /** The two sets of states, and their arrays, each [B * H] per state tensor. */
    private final S[] setStates;
    private final float[][][] sets;
    /** The step at which part 0's tokens ended the run: written by part 0, read after the run on its thread. */
    private int stepsRun;

    /** {@code tokens}: one per range of units, each range's thread choosing with its own. */
    @SuppressWarnings("unchecked") // an array of S, filled with the layer's own states
    LockstepRun(GatedRecurrentLayer<S> layer, int[] first, int[] width, UnitPanel[] panels, S start, int[] lengths,
                StepTokens[] tokens) {
        this.layer = layer;
        this.first = first;
        this.width = width;
        this.panels = panels;
        this.start = start;
        this.lengths = lengths;
        this.tokens = tokens;
        int batch = start.batchSize();
        this.setStates = (S[]) new RecurrentState[] {layer.zeroState(batch), layer.zeroState(batch)};
        this.sets = new float[][][] {UnitSplitStepper.arraysOf(setStates[0]), UnitSplitStepper.arraysOf(setStates[1])};
    }

    /** The run's last state; null, having run nothing, when its parts cannot all run at once. */
    S run(ParallelKernels kernels) {
        if (!kernels.inLockstep(first.length, (part, parts, t) -> step(part, t))) {
            return null;
        }
        return stateBefore(stepsRun);
    }

    /** The state step t starts from. */
    private S stateBefore(int t) {
        return t == 0 ? start : setStates[(t - 1) % 2];
    }

    /** Part {@code part}'s units of step t; false when its tokens end the run before it. */
    private boolean step(int part, int t) {
        S from = stateBefore(t);
        int[] fed = tokens[part].at(t, from.h());
        if (fed == null) {
            if (part == 0) {
                stepsRun = t;
            }
            return false;
        }
        layer.checkTokens(fed, from.batchSize());
        float[][] to = sets[t % 2];
        layer.stepUnits(from, fed, first[part], width[part], panels[part], to);
        if (lengths != null) {
            // this part's units of a row whose sentence has ended keep their state
            SequenceLengths.carryPaddedRows(lengths, t, from, setStates[t % 2], first[part], width[part]);
        }
        return true;
    }
}
