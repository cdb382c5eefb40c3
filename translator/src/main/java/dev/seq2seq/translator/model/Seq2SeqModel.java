package dev.seq2seq.translator.model;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.MatrixOps;
import dev.seq2seq.engine.autograd.ShapeOps;
import dev.seq2seq.engine.autograd.Tape;
import dev.seq2seq.nn.DecodingHead;
import dev.seq2seq.nn.Dense;
import dev.seq2seq.nn.Dropout;
import dev.seq2seq.nn.Embedding;
import dev.seq2seq.nn.WeightPrecision;
import dev.seq2seq.nn.attention.GlobalAttention;
import dev.seq2seq.nn.attention.InputFeedingStep;
import dev.seq2seq.nn.init.Initializers;
import dev.seq2seq.nn.loss.SoftmaxCrossEntropy.Reduction;
import dev.seq2seq.nn.loss.SoftmaxCrossEntropy;
import dev.seq2seq.nn.rnn.Bidirectional;
import dev.seq2seq.nn.rnn.LSTM;
import dev.seq2seq.nn.rnn.LSTMState;
import dev.seq2seq.nn.rnn.RecurrentLayer;
import dev.seq2seq.nn.rnn.RecurrentState;
import dev.seq2seq.nn.rnn.TokenStepper;
import dev.seq2seq.translator.data.Batch;
import dev.seq2seq.translator.data.Corpus;
import dev.seq2seq.translator.data.Padding;
import dev.seq2seq.translator.data.Sources;
import dev.seq2seq.translator.data.Tokenizer;
import dev.seq2seq.translator.data.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The encoder-decoder of the seed:
 *
 * <pre>
 *   encoder RNN reads the source            -> its final state (Keras: return_state=True)
 *   decoder RNN starts from that state       (Keras: initial_state=encoder_states)
 *     and reads the target shifted right     (teacher forcing: START, y1, ..., yL)
 *   Dense + softmax over target tokens       -> the next token at every step (y1, ..., yL, END)
 * </pre>
 *
 * At the character level the RNNs read one-hot tokens, computed as row lookups of their kernels;
 * at the word level an Embedding sits in front of each RNN.
 *
 * <p>With attention (Luong et al., 2015) the decoder also looks at every encoder output at every
 * step, and the output layer reads the attentional state h~_t instead of h_t:
 *
 * <pre>
 *   h_t  = decoder RNN(h_{t-1}, [y_{t-1} ; h~_{t-1}])      input feeding, h~_0 = 0
 *   h~_t = GlobalAttention(h_t, encoder outputs)            {@link GlobalAttention}
 *   p(y_t) = softmax(h~_t W + b)
 * </pre>
 *
 * The source side is {@link Encoder}. With {@code bidirectional} it is two RNNs of H/2 units, one
 * reading each sentence backwards from its last real token ({@link Bidirectional}); their outputs
 * side by side are what attention reads, and the decoder starts from a learned bridge of their two
 * final states:
 *
 * <pre>
 *   h_0 = tanh([h_fwd ; h_bwd] W_h + b_h)        c_0 = [c_fwd ; c_bwd] W_c + b_c   (LSTM; c is not squashed)
 * </pre>
 *
 * <p>Input feeding has a price: step t's input needs h~_{t-1}, so the decoder's input projection can
 * no longer be one product over all steps, and training runs the decoder one step at a time (the
 * encoder still reads the whole source at once). Each step also multiplies h~_{t-1} by the
 * decoder kernel's last H rows: one more [B, H] x [H, G*H] product per step, as large as the
 * recurrent one. Only that part waits for the step before: the previous tokens' part (their
 * embeddings times the kernel's first rows, at the word level) is one [Tt * B, E] x [E, G*H]
 * product over all steps, taken before the loop; decoding takes the same product for one step.
 *
 * <p>With {@code layers} N > 1 each side stacks N recurrent layers, layer i reading the outputs of
 * layer i - 1 (after dropout, in training); decoder layer i starts from encoder layer i's final
 * state (its bridge's, when bidirectional), and attention reads the top encoder layer and is
 * queried by the top decoder layer. Dropout ({@link Dropout}) also hits the decoder's output, in
 * training only, drawn from the model's seed and the training step.
 *
 * <p>Decoding uses {@link #encode} and {@link #step}: state and previous tokens in, next-token
 * scores and a new state out, the state never modified (so beam search can keep several).
 */
public final class Seq2SeqModel {
    private final ModelConfig config;
    private final Vocabulary sourceVocabulary;
    private final Vocabulary targetVocabulary;
    /** Made once: at the pieces level each holds its merges' ranks and a cache of segmented words. */
    private final Tokenizer sourceTokenizer;
    private final Tokenizer targetTokenizer;
    /** The source side: embedding, recurrent layers, bridges. */
    private final Encoder encoder;
    /** Null at the character level. */
    private final Embedding targetEmbedding;
    private final RecurrentLayer<RecurrentState> decoder;
    private final Dense output;
    /** Null for the seed's model (no attention). */
    private final GlobalAttention attention;
    /** On the decoder's output, and between stacked layers, while training (rate 0: no op at all). */
    private final Dropout dropout;
    /** Decoder layers 2..N of a stack (empty for one layer): each reads the outputs of the one below. */
    private final List<RecurrentLayer<RecurrentState>> decoderAbove = new ArrayList<>();
    /** How {@link #decoding()} holds the matrices a step reads whole (see {@link #withDecodingWeights}). */
    private WeightPrecision decodingWeights = WeightPrecision.FLOAT32;
    /** For a copy made by {@link #withDecodingWeights}, the model it was made from; else null. */
    private Seq2SeqModel trained;

    public Seq2SeqModel(ModelConfig config) {
        this.config = config;
        this.sourceVocabulary = config.sourceVocabulary();
        this.targetVocabulary = config.targetVocabulary();
        this.sourceTokenizer = config.sourceTokenizer();
        this.targetTokenizer = config.targetTokenizer();
        long seed = config.seed();
        int latent = config.latent();
        boolean words = config.level().embedded();
        this.encoder = new Encoder(config, sourceVocabulary);
        this.targetEmbedding = words
                ? new Embedding("decoder/embedding", targetVocabulary.size(), latent, Vocabulary.PAD, seed + 20) : null;
        boolean attends = config.attention() != Attention.NONE;
        // with input feeding the decoder reads [y_{t-1} ; h~_{t-1}]: latent more inputs
        int decoderInput = (words ? latent : targetVocabulary.size()) + (attends ? latent : 0);
        this.decoder = config.cell().layer("decoder/" + config.cell().id(), decoderInput, latent, seed + 40);
        this.output = new Dense("decoder/dense", latent, targetVocabulary.size(), Dense.Activation.SOFTMAX, seed + 50);
        this.attention = attends
                ? new GlobalAttention("decoder/attention", config.attention().score(), latent, seed + 60) : null;
        this.dropout = new Dropout(config.dropout());
        String cell = config.cell().id();
        for (int layer = 2; layer <= config.layers(); layer++) {
            decoderAbove.add(config.cell().layer("decoder/layer" + layer + "/" + cell, latent, latent,
                    seed + 100L * layer + 10));
        }
    }

    public ModelConfig config() {
        return config;
    }

    public Vocabulary sourceVocabulary() {
        return sourceVocabulary;
    }

    public Vocabulary targetVocabulary() {
        return targetVocabulary;
    }

    /** How source sentences are cut into tokens. */
    public Tokenizer sourceTokenizer() {
        return sourceTokenizer;
    }

    /** How target sentences are cut into tokens, and output tokens joined into text. */
    public Tokenizer targetTokenizer() {
        return targetTokenizer;
    }

    /** Every trainable tensor, each named (the checkpoint keys). */
    public List<Tensor> parameters() {
        List<Tensor> parameters = new ArrayList<>(encoder.embeddingParameters());
        if (targetEmbedding != null) {
            parameters.addAll(targetEmbedding.parameters());
        }
        parameters.addAll(encoder.recurrentParameters());
        parameters.addAll(decoder.parameters());
        for (RecurrentLayer<RecurrentState> layer : decoderAbove) {
            parameters.addAll(layer.parameters());
        }
        parameters.addAll(output.parameters());
        if (attention != null) {
            parameters.addAll(attention.parameters());
        }
        return parameters;
    }

    // ---------------------------------------------------------------- encoder

    /**
     * Reads the sources (time-major ids [steps * B]) and returns the state at each row's end; with
     * attention, wrapped with the encoder's outputs for the decoder to attend to.
     */
    public RecurrentState encode(int[] sourceTokens, int steps, int[] lengths) {
        return encode(sourceTokens, steps, lengths, NO_DROPOUT);
    }

    /** As {@link #encode(int[], int, int[])}, with the dropout of a training step between stacked layers. */
    private RecurrentState encode(int[] sourceTokens, int steps, int[] lengths, long trainingStep) {
        Encoder.Encoded encoded = encoder.encode(sourceTokens, steps, lengths,
                (outputs, place) -> dropped(outputs, trainingStep, place));
        if (attention == null) {
            return encoded.state();
        }
        GlobalAttention.Memory memory = attention.memory(encoded.outputs(), steps, lengths);
        return new AttentionState(encoded.state(), Tensor.zeros(sourceTokens.length / steps, config.latent()), memory,
                null);
    }

    // ---------------------------------------------------------------- decoder, one step

    /** The decoder's answer to one step: scores over target tokens [B, V] and the state after it. */
    public record StepResult(Tensor logits, RecurrentState state) {
        /**
         * The most likely next token of each row among those an output may hold: the end marker or
         * a data token. Padding, start and unknown are never chosen, however a model scores them
         * (an untrained or damaged model can rank them first).
         */
        public int[] argmax() {
            return argmax(logits);
        }

        /** {@link #argmax()} of logits [B, V]. */
        public static int[] argmax(Tensor logits) {
            int classes = logits.dim(1);
            int[] best = new int[logits.dim(0)];
            for (int r = 0; r < best.length; r++) {
                int data = logits.argmaxInRow(r, Vocabulary.FIRST_DATA_TOKEN, classes);
                // END wins a tie, as the lowest id among the candidates
                best[r] = logits.at(r * classes + Vocabulary.END) >= logits.at(r * classes + data) ? Vocabulary.END
                        : data;
            }
            return best;
        }
    }

    /** state, previous tokens [B] -> next-token scores and the next state (the given state is unchanged). */
    public StepResult step(RecurrentState state, int[] previousTokens) {
        return step(state, previousTokens, NO_DROPOUT, 0);
    }

    /** As {@link #step(RecurrentState, int[])}, with the dropout of a training step at a position. */
    private StepResult step(RecurrentState state, int[] previousTokens, long trainingStep, int position) {
        RecurrentState next = advance(state, previousTokens, trainingStep, position);
        // h~ is dropped out inside attend (it is also the next step's feed); h_t here
        Tensor features = attention != null ? ((AttentionState) next).feed()
                : dropped(next.h(), trainingStep, position);
        return new StepResult(output.logits(features), next);
    }

    /**
     * {@link #step(RecurrentState, int[])}'s next state without its logits, for a decoding run
     * that computes them from {@link #outputLayerInput} over a copy of the output kernel of its own
     * ({@link Decoding}).
     */
    RecurrentState advance(RecurrentState state, int[] previousTokens) {
        return advance(state, previousTokens, NO_DROPOUT, 0);
    }

    /** The decoder's layers (and attention) one step, with the dropout of a training step at a position. */
    private RecurrentState advance(RecurrentState state, int[] previousTokens, long trainingStep, int position) {
        return attention != null ? attend((AttentionState) state, previousTokens, null, trainingStep, position)
                : stepDecoder(state, previousTokens, null, null, trainingStep, position);
    }

    /** What the output layer reads of a decoding state [B, H]: h~_t with attention, else the top layer's h_t. */
    Tensor outputLayerInput(RecurrentState state) {
        return state instanceof AttentionState attended ? attended.feed() : state.h();
    }

    /**
     * The decoder's recurrent layers, one step: the first on the previous tokens (and the feed h~,
     * with attention), each one above on the (dropped-out) output of the one below.
     * {@code tokenProjection} [B, G*H], when not null, is the previous tokens' part of the first
     * layer's input projection, already taken (rows of {@link #tokenProjections}); null: taken here.
     */
    private RecurrentState stepDecoder(RecurrentState state, int[] previousTokens, Tensor feed,
                                       Tensor tokenProjection, long trainingStep, int position) {
        List<RecurrentState> layers = config.layers() == 1 ? List.of(state) : ((StackedState) state).layers();
        RecurrentState first;
        if (targetEmbedding == null) {
            first = feed == null ? decoder.stepTokens(layers.get(0), previousTokens)
                    : decoder.stepWithFeed(layers.get(0), previousTokens, feed);
        } else if (feed == null) {
            first = decoder.step(layers.get(0), targetEmbedding.lookup(previousTokens));
        } else {
            first = decoder.stepWithProjection(layers.get(0), tokenProjection != null ? tokenProjection
                    : tokenProjections(previousTokens), feed);
        }
        if (config.layers() == 1) {
            return first;
        }
        List<RecurrentState> next = new ArrayList<>(List.of(first));
        for (int i = 0; i < decoderAbove.size(); i++) {
            Tensor below = dropped(next.get(i).h(), trainingStep, 1_000 * (i + 1) + position);
            next.add(decoderAbove.get(i).step(layers.get(i + 1), below));
        }
        return new StackedState(next);
    }

    /** Marks a forward pass that is not training: no dropout. */
    private static final long NO_DROPOUT = Long.MIN_VALUE;

    /** x after the dropout of training step {@code trainingStep} at {@code place}; x itself when not training. */
    private Tensor dropped(Tensor x, long trainingStep, int place) {
        return trainingStep == NO_DROPOUT ? x : dropout.apply(x, Dropout.seed(config.seed(), trainingStep, place));
    }

    /**
     * One attention decoder step: the RNN on [y_{t-1} ; h~_{t-1}], then attention; h~_t (after
     * dropout while training, as OpenNMT-py drops it) is both the output layer's input and the
     * next step's feed. {@code tokenProjection}: as for {@link #stepDecoder}.
     */
    private AttentionState attend(AttentionState state, int[] previousTokens, Tensor tokenProjection,
                                  long trainingStep, int position) {
        if (fusedStep(state)) {
            return attendFused(state, previousTokens, tokenProjection, trainingStep, position);
        }
        RecurrentState inner = stepDecoder(state.inner(), previousTokens, state.feed(), tokenProjection,
                trainingStep, position);
        GlobalAttention.Step attended = attention.attend(inner.h(), state.memory());
        return new AttentionState(inner, dropped(attended.attentional(), trainingStep, position), state.memory(),
                attended.weights());
    }

    /**
     * Whether a step runs as {@link InputFeedingStep}'s one op: an LSTM decoder of one layer with
     * the dot or general score, in a recorded pass (training; decoding keeps the ops, which read
     * its packed weights).
     */
    private boolean fusedStep(AttentionState state) {
        return config.layers() == 1 && (Object) decoder instanceof LSTM lstm && attention.fusesLSTMStep()
                && state.inner() instanceof LSTMState && Tape.recording(lstm.recurrentKernel());
    }

    /** {@link #attend} as one op: the same numbers (see {@link InputFeedingStep}). */
    private AttentionState attendFused(AttentionState state, int[] previousTokens, Tensor tokenProjection,
                                       long trainingStep, int position) {
        LSTM lstm = (LSTM) (Object) decoder;
        Tensor kernel = lstm.kernel();
        int inputs = kernel.dim(0);
        int latent = config.latent();
        InputFeedingStep.Tokens tokens = targetEmbedding == null
                ? InputFeedingStep.Tokens.lookedUp(previousTokens, kernel.rows(0, inputs - latent), lstm.bias())
                : InputFeedingStep.Tokens.projected(tokenProjection != null ? tokenProjection
                : tokenProjections(previousTokens));
        LSTMState inner = (LSTMState) state.inner();
        InputFeedingStep.Result step = attention.stepLSTM(tokens, state.feed(), inner.h(), inner.c(),
                new InputFeedingStep.Recurrence(kernel.rows(inputs - latent, inputs), lstm.recurrentKernel()),
                state.memory());
        return new AttentionState(new LSTMState(step.h(), step.c()),
                dropped(step.attentional(), trainingStep, position), state.memory(), step.weights());
    }

    /**
     * The tokens' part of the decoder's first input projection at the word level with input
     * feeding: their embeddings [N, E] times the kernel's first E rows, plus the bias, [N, G*H].
     */
    private Tensor tokenProjections(int[] tokens) {
        return decoder.projectLeadingInputs(targetEmbedding.lookup(tokens));
    }

    /**
     * The attention weights [B, S] of the step that produced {@code state} (source positions in
     * the padded layout: left-aligned, so position s of a sentence is column s); null without
     * attention or before the first step.
     */
    public Tensor attentionWeights(RecurrentState state) {
        return state instanceof AttentionState attentionState ? attentionState.weights() : null;
    }

    /** Whether the decoder attends to the source. */
    public boolean attends() {
        return attention != null;
    }

    // ---------------------------------------------------------------- decoding

    /**
     * This model for decoding with its step matrices in {@code precision}: every recurrent kernel
     * and the output layer's kernel, the matrices a decoding step reads whole. In float32, this
     * model. In bf16, a copy with those matrices rounded to bf16 (nearest, ties to even), whose
     * {@link #decoding()} keeps them as bf16 where a step is bound by reading them (one to three
     * character-level sentences through the {@link TokenStepper}s and the {@link DecodingHead}),
     * half the bytes. Every other path computes over the same rounded values in float32, so a
     * sentence's translation does not depend on the batch it came in. The other weights (input
     * kernels, embeddings, biases, attention) stay float32: they are read a row at a time or are
     * not on that path. The copy is for decoding: train this model, not the copy. Asked of a
     * copy, the answer is made from the model the copy came from (float32: that model itself).
     */
    public Seq2SeqModel withDecodingWeights(WeightPrecision precision) {
        if (trained != null) {
            return trained.withDecodingWeights(precision);
        }
        if (precision == decodingWeights) {
            return this;
        }
        // every weight is copied below, so none is drawn
        Seq2SeqModel copy = Initializers.withoutDrawing(() -> new Seq2SeqModel(config));
        copy.trained = this;
        List<Tensor> from = parameters();
        List<Tensor> to = copy.parameters();
        for (int i = 0; i < from.size(); i++) {
            Tensor source = from.get(i);
            Tensor target = to.get(i);
            System.arraycopy(source.data(), source.offset(), target.data(), target.offset(), source.size());
            if (source.name().endsWith("/recurrent_kernel") || source == output.kernel()) {
                precision.roundInPlace(target);
            }
        }
        copy.decodingWeights = precision;
        return copy;
    }

    /** How this model's {@link #decoding()} holds its step matrices: see {@link #withDecodingWeights}. */
    public WeightPrecision decodingWeights() {
        return decodingWeights;
    }

    /**
     * A decoding run's view of this model: {@link #encode} and {@link #step}, the same numbers to
     * the bit, through the layers' {@link TokenStepper}s where those are faster (see {@link Decoding}).
     */
    public Decoding decoding() {
        return new Decoding(this);
    }

    // What a decoding run reads of the model's layers (see Decoding).

    Encoder encoder() {
        return encoder;
    }

    RecurrentLayer<RecurrentState> decoderLayer() {
        return decoder;
    }

    Dense outputLayer() {
        return output;
    }

    // ---------------------------------------------------------------- training

    private Reduction reduction() {
        return config.padding() == Padding.KERAS ? Reduction.MEAN_OVER_ALL : Reduction.MEAN_OVER_REAL;
    }

    /**
     * The examples as one batch in this model's padding: masked pads to the batch's longest pair;
     * Keras pads to the data's longest source and longest target + 1 (the start token).
     */
    public Batch batch(List<Corpus.Example> examples) {
        return Batch.of(examples, config.padding(), config.maxSourceLength(), config.maxTargetLength() + 1);
    }

    /** Sources (token ids) padded this model's way, for the encoder: see {@link Sources}. */
    public Sources sources(List<int[]> sources) {
        return Sources.of(sources, config.padding(), config.maxSourceLength());
    }

    /** The decoder's logits for every position of the batch, [Tt * B, V], by teacher forcing (no dropout). */
    public Tensor teacherForcedLogits(Batch batch) {
        return teacherForcedLogits(batch, NO_DROPOUT);
    }

    /** As {@link #teacherForcedLogits(Batch)}, with the dropout of training step {@code trainingStep}. */
    private Tensor teacherForcedLogits(Batch batch, long trainingStep) {
        return output.logits(teacherForcedFeatures(batch, trainingStep));
    }

    /**
     * What the output layer reads at every position of the batch, [Tt * B, latent] in time-major
     * order, by teacher forcing with the dropout of training step {@code trainingStep}.
     */
    private Tensor teacherForcedFeatures(Batch batch, long trainingStep) {
        RecurrentState encoded = encode(batch.sourceTokens(), batch.sourceSteps(), batch.sourceLengths(), trainingStep);
        if (attention != null) {
            return attentionTeacherForcedFeatures(batch, (AttentionState) encoded, trainingStep);
        }
        int steps = batch.targetSteps();
        int latent = config.latent();
        List<RecurrentState> initial = config.layers() == 1 ? List.of(encoded) : ((StackedState) encoded).layers();
        Tensor outputs;
        if (targetEmbedding == null) {
            outputs = decoder.forwardTokens(batch.decoderInputs(), steps, batch.targetLengths(), initial.get(0))
                    .outputs();
        } else {
            Tensor embedded = targetEmbedding.lookup(batch.decoderInputs()).view(steps, batch.size(), latent);
            outputs = decoder.forward(embedded, batch.targetLengths(), initial.get(0)).outputs();
        }
        for (int i = 0; i < decoderAbove.size(); i++) {
            Tensor below = dropped(outputs.view(steps * batch.size(), latent), trainingStep, 1_000 * (i + 1))
                    .view(steps, batch.size(), latent);
            outputs = decoderAbove.get(i).forward(below, batch.targetLengths(), initial.get(i + 1)).outputs();
        }
        return dropped(outputs.view(steps * batch.size(), latent), trainingStep, 0);
    }

    /**
     * Teacher forcing with attention: the decoder one step at a time (input feeding), the
     * attentional states of all steps then put in time-major order for one output product
     * ([Tt * B, latent]).
     */
    private Tensor attentionTeacherForcedFeatures(Batch batch, AttentionState encoded, long trainingStep) {
        int steps = batch.targetSteps();
        int size = batch.size();
        Tensor[] attentional = new Tensor[steps];
        AttentionState state = encoded;
        // the previous tokens' part of every step's input projection, one product: [Tt * B, G*H]
        Tensor tokenProjections = targetEmbedding == null ? null : tokenProjections(batch.decoderInputs());
        for (int t = 0; t < steps; t++) {
            state = attend(state, Arrays.copyOfRange(batch.decoderInputs(), t * size, (t + 1) * size),
                    tokenProjections == null ? null : tokenProjections.rows(t * size, (t + 1) * size), trainingStep,
                    t + 1);
            attentional[t] = state.feed();
        }
        // step t's rows are rows t*B .. t*B + B - 1 of the time-major [Tt * B, latent]
        return ShapeOps.concatRows(attentional);
    }

    /**
     * The training loss of a batch (recorded on the active tape). With teacher forcing the decoder
     * reads the true previous token; without it, its own previous prediction (the seed's FAQ
     * variant), which is slower (one step at a time) but trains for the conditions of decoding.
     */
    public Tensor loss(Batch batch, boolean teacherForcing) {
        return loss(batch, teacherForcing, 0);
    }

    /** As {@link #loss(Batch, boolean)} for training step {@code trainingStep}, which draws the dropout masks. */
    public Tensor loss(Batch batch, boolean teacherForcing, long trainingStep) {
        return loss(batch, teacherForcing, trainingStep, 0f);
    }

    /**
     * As {@link #loss(Batch, boolean, long)} against targets smoothed by {@code labelSmoothing}
     * (see {@link SoftmaxCrossEntropy}; 0: one-hot targets).
     */
    public Tensor loss(Batch batch, boolean teacherForcing, long trainingStep, float labelSmoothing) {
        Tape tape = Tape.active();
        if (tape != null) { // a decoder's steps' weight gradients summed once a pass (the same bits)
            tape.stackProductGradientsOf(parameters());
        }
        if (teacherForcing) {
            // the output layer and its loss in one op: the same numbers as output.logits then
            // SoftmaxCrossEntropy.loss, with one [Tt * B, V] array where those make three
            return SoftmaxCrossEntropy.ofAffine(teacherForcedFeatures(batch, trainingStep), output.kernel(),
                    output.bias(), batch.decoderTargets(), batch.targetMask(), reduction(), labelSmoothing);
        }
        RecurrentState state = encode(batch.sourceTokens(), batch.sourceSteps(), batch.sourceLengths(), trainingStep);
        int size = batch.size();
        int[] previous = new int[size];
        Arrays.fill(previous, Vocabulary.START);
        float divisor = SoftmaxCrossEntropy.divisor(reduction(), batch.targetMask().length, batch.targetMask());
        Tensor total = null;
        for (int t = 0; t < batch.targetSteps(); t++) {
            StepResult result = step(state, previous, trainingStep, t + 1);
            state = result.state();
            int[] targets = Arrays.copyOfRange(batch.decoderTargets(), t * size, (t + 1) * size);
            float[] mask = Arrays.copyOfRange(batch.targetMask(), t * size, (t + 1) * size);
            // Mean over all B rows of this step, rescaled so the sum over steps is the batch mean.
            Tensor stepLoss = MatrixOps.scale(
                    SoftmaxCrossEntropy.loss(result.logits(), targets, mask, Reduction.MEAN_OVER_ALL, labelSmoothing),
                    size / divisor);
            total = total == null ? stepLoss : MatrixOps.add(total, stepLoss);
            previous = result.argmax(); // fed back: no gradient flows through the choice
        }
        return total;
    }

    /** Sum of losses, real positions and correct next-token guesses of a batch, by teacher forcing, no tape. */
    public BatchStats measure(Batch batch) {
        Tensor logits = teacherForcedLogits(batch);
        int real = batch.realTargets();
        float mean = SoftmaxCrossEntropy.loss(logits, batch.decoderTargets(), batch.targetMask(),
                Reduction.MEAN_OVER_REAL).at(0);
        int correct = SoftmaxCrossEntropy.correct(logits, batch.decoderTargets(), batch.targetMask());
        return new BatchStats((double) mean * real, real, correct);
    }

    /** Loss summed over real positions, their count, and how many were guessed right. */
    public record BatchStats(double lossSum, long positions, long correct) {
        public BatchStats plus(BatchStats other) {
            return new BatchStats(lossSum + other.lossSum, positions + other.positions, correct + other.correct);
        }
    }
}
