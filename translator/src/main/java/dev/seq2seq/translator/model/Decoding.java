package dev.seq2seq.translator.model;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.PackedWeights;
import dev.seq2seq.nn.DecodingHead;
import dev.seq2seq.nn.WeightPrecision;
import dev.seq2seq.nn.rnn.RecurrentLayer;
import dev.seq2seq.nn.rnn.RecurrentState;
import dev.seq2seq.nn.rnn.StepTokens;
import dev.seq2seq.nn.rnn.TokenStepper;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * A decoding run's view of a {@link Seq2SeqModel}: {@link #encode} and {@link #step} as on the
 * model, the same numbers to the bit, but for one to three sentences at a time at the character
 * level through the layers' {@link TokenStepper}s (greedy decoding of one sentence is that case,
 * a whole sentence's steps at once: {@link #decode}), and with float32 weights the decoder's
 * steps of larger batches too (over a packed U, and the output layer's kernel packed:
 * {@link DecodingHead}). Other models (attention, stacks, word level) and bf16 batches too large
 * for the steppers take the model's own {@link Seq2SeqModel#encode} and step, their products over
 * copies of the model's matrices packed once for the run ({@link PackedWeights}), and the logits
 * from the same head: the same bits.
 *
 * <p>The head, the steppers and the packed copies hold a snapshot of the weights: make a new run
 * ({@link Seq2SeqModel#decoding()}) after the weights change. One run may serve several threads at
 * once (the sentence groups of {@code GreedyDecoder} and {@code BeamSearch}): its steppers and
 * copies are made once, by whichever thread needs them first, and only read after that.
 */
public final class Decoding {
    private final Seq2SeqModel model;
    /** The model's matrices packed once for the steps of the models the steppers do not serve. */
    private final PackedWeights packedWeights;
    /** The output layer's logits, for every model: every run steps the decoder. */
    private final DecodingHead head;
    private TokenStepper<RecurrentState> encoderSteps;
    /** The decoder's stepper, made on first need. */
    private volatile TokenStepper<RecurrentState> decoderSteps;

    Decoding(Seq2SeqModel model) {
        this.model = model;
        this.packedWeights = new PackedWeights(model.parameters());
        this.head = new DecodingHead(model.outputLayer(), model.decodingWeights());
    }

    /** The model this run decodes with. */
    public Seq2SeqModel model() {
        return model;
    }

    /**
     * As {@link Seq2SeqModel#encode}, a step at a time through the encoder layer's stepper, as the
     * decoder steps: each core makes its rows' step arrays itself, where the sequence op reads a
     * projection of all steps made beforehand and keeps every step's state for a backward that
     * decoding never runs. A row past its length carries its state, as in the sequence op, so the
     * final states are the same to the bit.
     */
    public RecurrentState encode(int[] sourceTokens, int steps, int[] lengths) {
        int batch = sourceTokens.length / steps;
        RecurrentLayer<RecurrentState> layer = model.encoder().singleCharacterLayer();
        // bf16 panels take a larger batch row by row: the sequence op is faster there (see step)
        if (model.attends() || layer == null || (batch > TokenStepper.MAX_ROWS && !float32())) {
            try (PackedWeights.Scope ignored = packedWeights.use()) {
                return model.encode(sourceTokens, steps, lengths);
            }
        }
        // every core chooses the same tokens, from the source: one StepTokens serves them all
        StepTokens fromSource = (t, h) -> t < steps
                ? Arrays.copyOfRange(sourceTokens, t * batch, (t + 1) * batch) : null;
        return encoderSteps(layer).run(layer.zeroState(batch), lengths, part -> fromSource);
    }

    /** As {@link Seq2SeqModel#step}. */
    public Seq2SeqModel.StepResult step(RecurrentState state, int[] previousTokens) {
        if (!stepperServes(previousTokens.length)) {
            // the model's own step over the run's packed copies of its matrices, its logits over
            // the head's copy of the output kernel: the plain product lays out strips of B afresh
            // at every call (for a word model's output layer, 8 MB a step)
            try (PackedWeights.Scope ignored = packedWeights.use()) {
                RecurrentState next = model.advance(state, previousTokens);
                return new Seq2SeqModel.StepResult(head.logits(model.outputLayerInput(next)), next);
            }
        }
        RecurrentState next = decoderSteps().step(state, previousTokens);
        return new Seq2SeqModel.StepResult(head.logits(next.h()), next);
    }

    /** Chooses a decoder step's tokens from the last step's scores ({@link #decode}). */
    @FunctionalInterface
    public interface TokenChoice {
        /**
         * The tokens [B] to feed at step t, given the logits [B, V] of step t - 1 (null at t = 0); null
         * to stop before step t.
         */
        int[] next(int t, Tensor logits);
    }

    /**
     * Steps the decoder from {@code state}, each step's tokens chosen from the last step's logits,
     * until the choice says stop: the numbers of {@link #step}, step after step. Where the decoder's
     * stepper serves the batch, its units are stepped on every core at once through the whole run
     * ({@link TokenStepper#run}), each core computing the logits and choosing the tokens itself: so
     * {@code choiceOfPart} makes one {@link TokenChoice} per core, on the calling thread before the
     * run, each given its part's index. Each must choose as the others do from the same logits; the
     * one made for part 0 is the one followed, and the one to read the choices from.
     */
    public void decode(RecurrentState state, IntFunction<TokenChoice> choiceOfPart) {
        if (stepperServes(state.batchSize())) {
            decoderSteps().run(state, null, part -> {
                TokenChoice choice = choiceOfPart.apply(part);
                return (t, h) -> choice.next(t, t == 0 ? null : head.logits(h));
            });
            return;
        }
        TokenChoice choice = choiceOfPart.apply(0);
        int[] fed = choice.next(0, null);
        for (int t = 1; fed != null; t++) {
            Seq2SeqModel.StepResult result = step(state, fed);
            state = result.state();
            fed = choice.next(t, result.logits());
        }
    }

    /**
     * Whether the decoder's stepper takes a step of {@code rows} rows: a character-level model of
     * one layer without attention; in bf16, at most {@link TokenStepper#MAX_ROWS} rows (its panels
     * would take larger batches row by row, slower than the model's batched step). Larger float32
     * batches go to the stepper too, which hands them to the layer's own step over a packed U.
     */
    private boolean stepperServes(int rows) {
        ModelConfig config = model.config();
        return !model.attends() && config.layers() == 1 && !config.level().embedded()
                && (rows <= TokenStepper.MAX_ROWS || float32());
    }

    private boolean float32() {
        return model.decodingWeights() == WeightPrecision.FLOAT32;
    }

    // Made on first need, once, whichever thread needs them first: the decoding of several
    // sentence groups at once (GreedyDecoder, BeamSearch) shares one Decoding between cores.

    /** Once per encoding: a lock is cheap there. */
    private synchronized TokenStepper<RecurrentState> encoderSteps(RecurrentLayer<RecurrentState> layer) {
        if (encoderSteps == null) {
            encoderSteps = layer.tokenStepper(model.decodingWeights());
        }
        return encoderSteps;
    }

    /** Once per decoder step: the volatile field is read without locking once it is set. */
    private TokenStepper<RecurrentState> decoderSteps() {
        TokenStepper<RecurrentState> made = decoderSteps;
        if (made == null) {
            synchronized (this) {
                made = decoderSteps;
                if (made == null) {
                    made = model.decoderLayer().tokenStepper(model.decodingWeights());
                    decoderSteps = made;
                }
            }
        }
        return made;
    }
}
