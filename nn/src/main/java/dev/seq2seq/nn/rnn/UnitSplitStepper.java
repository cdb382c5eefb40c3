package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.ParallelKernels;
import dev.seq2seq.nn.WeightPrecision;
import java.util.function.IntFunction;

/**
 * The {@link TokenStepper} of the gated layers: units cut into one range per thread, a contiguous
 * panel of U's columns per range (float32 or bf16: {@link UnitPanel}), and the layer's
 * {@link GatedRecurrentLayer#stepUnits} for each range on its own thread: a hand-off a step, or in
 * a {@link #run} each range's thread kept through all the steps ({@link LockstepRun}). Larger
 * float32 batches take the layer's own step, over a packed copy of U ({@link ForwardProduct}).
 */
final class UnitSplitStepper<S extends RecurrentState> implements TokenStepper<S> {
    private final GatedRecurrentLayer<S> layer;
    private final int[] first;
    private final int[] width;
    private final UnitPanel[] panels;
    /** U packed for the layer's own step on batches of more than MAX_ROWS rows; made on the first. */
    private volatile ForwardProduct packedKernel;

    UnitSplitStepper(GatedRecurrentLayer<S> layer, int parts, WeightPrecision precision) {
        this.layer = layer;
        int units = layer.units();
        int gateCount = layer.gateCount();
        int ranges = Math.max(1, Math.min(parts, units));
        first = new int[ranges];
        width = new int[ranges];
        panels = new UnitPanel[ranges];
        for (int r = 0; r < ranges; r++) {
            first[r] = units * r / ranges;
            width[r] = units * (r + 1) / ranges - first[r];
            panels[r] = UnitPanel.of(layer.recurrentKernel(), gateCount, first[r], width[r], precision);
        }
    }

    @Override
    public S step(S state, int[] tokens, int[] lengths, int t) {
        S next = step(state, tokens);
        if (lengths != null) {
            // next is in arrays of its own, made by this step: a finished row's state is copied back
            SequenceLengths.carryPaddedRows(lengths, t, state, next, 0, layer.units());
        }
        return next;
    }

    @Override
    public S step(S state, int[] tokens) {
        if (tokens.length > MAX_ROWS && !panels[0].servesAnyBatch()) {
            // Over the packed copy from four rows on: it is made once per decoding run, and a
            // beam of 5 for one sentence decoded 1.79-1.97 ms a sentence with it against 2.21-2.40
            // over U itself (2.79-3.07 against 3.16-3.38 with AVX2 only), the same bits
            return layer.stepTokens(state, tokens, packedKernel());
        }
        layer.checkTokens(tokens, state.batchSize());
        S result = layer.zeroState(tokens.length);
        float[][] next = arraysOf(result);
        ParallelKernels k = Backend.kernels();
        k.forEachPart(first.length, 1, (from, to) -> {
            for (int r = from; r < to; r++) {
                layer.stepUnits(state, tokens, first[r], width[r], panels[r], next);
            }
        });
        return result;
    }

    /** The arrays of a state made by {@code zeroState} (each its tensor's own, from offset 0), to fill in place. */
    static float[][] arraysOf(RecurrentState state) {
        Tensor[] tensors = state.tensors();
        float[][] arrays = new float[tensors.length][];
        for (int i = 0; i < tensors.length; i++) {
            arrays[i] = tensors[i].data();
        }
        return arrays;
    }

    /**
     * On every range's thread at once, in lockstep ({@link LockstepRun}), when the steps are those
     * the panels serve and the threads are free; else one step at a time.
     */
    @Override
    public S run(S state, int[] lengths, IntFunction<StepTokens> tokensOfPart) {
        if (first.length == 1 || (state.batchSize() > MAX_ROWS && !panels[0].servesAnyBatch())) {
            return TokenStepper.stepOneAtATime(this, state, lengths, tokensOfPart.apply(0));
        }
        StepTokens[] tokens = new StepTokens[first.length];
        for (int part = 0; part < tokens.length; part++) {
            tokens[part] = tokensOfPart.apply(part);
        }
        S last = new LockstepRun<>(layer, first, width, panels, state, lengths, tokens).run(Backend.kernels());
        // not run (the threads busy or limited): part 0's tokens, untouched, one step at a time
        return last != null ? last : TokenStepper.stepOneAtATime(this, state, lengths, tokens[0]);
    }

    /**
     * Made once, by whichever thread steps a large batch first (a decoding may step groups of
     * sentences on several at once); every later step reads the volatile field without locking.
     */
    private ForwardProduct packedKernel() {
        ForwardProduct made = packedKernel;
        if (made == null) {
            synchronized (this) {
                made = packedKernel;
                if (made == null) {
                    made = ForwardProduct.packed(Backend.kernels(), layer.recurrentKernel());
                    packedKernel = made;
                }
            }
        }
        return made;
    }
}
