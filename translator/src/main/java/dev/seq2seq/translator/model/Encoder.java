package dev.seq2seq.translator.model;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.autograd.ActivationOps;
import dev.seq2seq.engine.autograd.ShapeOps;
import dev.seq2seq.nn.Dense;
import dev.seq2seq.nn.Embedding;
import dev.seq2seq.nn.rnn.Bidirectional;
import dev.seq2seq.nn.rnn.GRUState;
import dev.seq2seq.nn.rnn.LSTMState;
import dev.seq2seq.nn.rnn.RecurrentLayer;
import dev.seq2seq.nn.rnn.RecurrentState;
import dev.seq2seq.nn.rnn.SequenceResult;
import dev.seq2seq.nn.rnn.TokenStepper;
import dev.seq2seq.translator.data.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The source side of {@link Seq2SeqModel}: reads the source sentences and gives the decoder its
 * first state, and attention the outputs of every source position.
 *
 * <pre>
 *   x_s   = one-hot(token_s) (characters: a row of the kernel), or Embedding(token_s) (words, pieces)
 *   layer 1 reads x; layer i > 1 reads the (dropped-out) outputs of layer i - 1
 *   one direction:  outputs = RNN(x) over each row's true length, state = the state at its end
 *   bidirectional:  outputs = [RNN_fwd(x) ; RNN_bwd(x)], H/2 units each, the backward one starting
 *                   at each row's last real token ({@link Bidirectional}); the decoder's state
 *                   comes through a learned bridge of the two final states:
 *                   h_0 = tanh([h_fwd ; h_bwd] W_h + b_h),  c_0 = [c_fwd ; c_bwd] W_c + b_c  (LSTM; c is not squashed)
 * </pre>
 *
 * Decoder layer i starts from encoder layer i's final state ({@link StackedState} when there are
 * several); attention reads the top layer's outputs.
 */
final class Encoder {
    /** Null at the character level. */
    private final Embedding embedding;
    /** The first layer, or null when it is bidirectional. */
    private final RecurrentLayer<RecurrentState> first;
    private final Bidirectional<RecurrentState> firstBidirectional;
    private final Dense bridgeH;
    /** Null for a GRU, which has no cell state to bridge. */
    private final Dense bridgeC;
    /** Layers 2..N (empty for one layer), of one direction or two. */
    private final List<RecurrentLayer<RecurrentState>> above = new ArrayList<>();
    private final List<Bidirectional<RecurrentState>> bidirectionalAbove = new ArrayList<>();
    private final List<Dense> bridgesHAbove = new ArrayList<>();
    private final List<Dense> bridgesCAbove = new ArrayList<>();
    private final int latent;
    private final int layers;

    /** What the encoder read: the decoder's first state, and the top layer's outputs [S*B, H], time-major. */
    record Encoded(RecurrentState state, Tensor outputs) {
    }

    Encoder(ModelConfig config, Vocabulary sourceVocabulary) {
        long seed = config.seed();
        this.latent = config.latent();
        this.layers = config.layers();
        Cell cell = config.cell();
        this.embedding = config.level().embedded()
                ? new Embedding("encoder/embedding", sourceVocabulary.size(), latent, Vocabulary.PAD, seed + 10) : null;
        int input = embedding != null ? latent : sourceVocabulary.size();
        if (config.bidirectional()) {
            this.first = null;
            this.firstBidirectional = new Bidirectional<>(
                    cell.layer("encoder/forward/" + cell.id(), input, latent / 2, seed + 30),
                    cell.layer("encoder/backward/" + cell.id(), input, latent / 2, seed + 35));
            this.bridgeH = new Dense("encoder/bridge/h", latent, latent, Dense.Activation.LINEAR, seed + 70);
            this.bridgeC = cell == Cell.LSTM
                    ? new Dense("encoder/bridge/c", latent, latent, Dense.Activation.LINEAR, seed + 75) : null;
        } else {
            this.first = cell.layer("encoder/" + cell.id(), input, latent, seed + 30);
            this.firstBidirectional = null;
            this.bridgeH = null;
            this.bridgeC = null;
        }
        for (int layer = 2; layer <= layers; layer++) {
            String prefix = "encoder/layer" + layer + "/";
            long layerSeed = seed + 100L * layer;
            if (config.bidirectional()) {
                bidirectionalAbove.add(new Bidirectional<>(
                        cell.layer(prefix + "forward/" + cell.id(), latent, latent / 2, layerSeed),
                        cell.layer(prefix + "backward/" + cell.id(), latent, latent / 2, layerSeed + 5)));
                bridgesHAbove.add(new Dense(prefix + "bridge/h", latent, latent, Dense.Activation.LINEAR,
                        layerSeed + 40));
                if (cell == Cell.LSTM) {
                    bridgesCAbove.add(new Dense(prefix + "bridge/c", latent, latent, Dense.Activation.LINEAR,
                            layerSeed + 45));
                }
            } else {
                above.add(cell.layer(prefix + cell.id(), latent, latent, layerSeed));
            }
        }
    }

    /** The embedding's table (empty at the character level). */
    List<Tensor> embeddingParameters() {
        return embedding == null ? List.of() : embedding.parameters();
    }

    /** The recurrent layers' and bridges' weights, in the checkpoint's order. */
    List<Tensor> recurrentParameters() {
        List<Tensor> parameters = new ArrayList<>();
        if (firstBidirectional != null) {
            parameters.addAll(firstBidirectional.parameters());
            parameters.addAll(bridgeH.parameters());
            if (bridgeC != null) {
                parameters.addAll(bridgeC.parameters());
            }
        } else {
            parameters.addAll(first.parameters());
        }
        for (Bidirectional<RecurrentState> layer : bidirectionalAbove) {
            parameters.addAll(layer.parameters());
        }
        for (Dense bridge : bridgesHAbove) {
            parameters.addAll(bridge.parameters());
        }
        for (Dense bridge : bridgesCAbove) {
            parameters.addAll(bridge.parameters());
        }
        for (RecurrentLayer<RecurrentState> layer : above) {
            parameters.addAll(layer.parameters());
        }
        return parameters;
    }

    /**
     * Reads the sources (time-major ids [steps * B], each row's true length in {@code lengths}, null
     * when all are full). {@code dropout} gives the outputs of layer i below layer i + 1 after the
     * dropout of place -i (the identity outside training).
     */
    Encoded encode(int[] sourceTokens, int steps, int[] lengths, BiFunction<Tensor, Integer, Tensor> dropout) {
        int batch = sourceTokens.length / steps;
        Tensor embedded = embedding == null ? null : embedding.lookup(sourceTokens).view(steps, batch, latent);
        Tensor outputs; // [S*B, H] time-major
        RecurrentState state;
        if (firstBidirectional != null) {
            Bidirectional.Result<RecurrentState> encoded = embedded == null
                    ? firstBidirectional.forwardTokens(sourceTokens, steps, lengths)
                    : firstBidirectional.forward(embedded, lengths);
            outputs = encoded.outputs();
            state = bridge(encoded.forwardState(), encoded.backwardState(), bridgeH, bridgeC);
        } else {
            SequenceResult<RecurrentState> encoded = embedded == null
                    ? first.forwardTokens(sourceTokens, steps, lengths, null) : first.forward(embedded, lengths, null);
            outputs = encoded.outputs().view(steps * batch, latent);
            state = encoded.state();
        }
        if (layers == 1) {
            return new Encoded(state, outputs);
        }
        List<RecurrentState> states = new ArrayList<>(List.of(state));
        for (int i = 0; i < layers - 1; i++) {
            Tensor below = dropout.apply(outputs, -1 - i).view(steps, batch, latent);
            if (firstBidirectional != null) {
                Bidirectional.Result<RecurrentState> encoded = bidirectionalAbove.get(i).forward(below, lengths);
                outputs = encoded.outputs();
                states.add(bridge(encoded.forwardState(), encoded.backwardState(), bridgesHAbove.get(i),
                        bridgesCAbove.isEmpty() ? null : bridgesCAbove.get(i)));
            } else {
                SequenceResult<RecurrentState> encoded = above.get(i).forward(below, lengths, null);
                outputs = encoded.outputs().view(steps * batch, latent);
                states.add(encoded.state());
            }
        }
        return new Encoded(new StackedState(states), outputs);
    }

    /**
     * The single forward layer reading characters, when the encoder is nothing more: the one
     * decoding may step token by token with a {@link TokenStepper}; null otherwise.
     */
    RecurrentLayer<RecurrentState> singleCharacterLayer() {
        return embedding == null && first != null && layers == 1 ? first : null;
    }

    /** The decoder's first state from the two directions' last ones (see the class comment). */
    private static RecurrentState bridge(RecurrentState forward, RecurrentState backward, Dense bridgeH, Dense bridgeC) {
        Tensor h = ActivationOps.tanh(bridgeH.logits(ShapeOps.concatColumns(forward.h(), backward.h())));
        if (forward instanceof LSTMState forwardLstm && backward instanceof LSTMState backwardLstm) {
            return new LSTMState(h, bridgeC.logits(ShapeOps.concatColumns(forwardLstm.c(), backwardLstm.c())));
        }
        return new GRUState(h);
    }
}
