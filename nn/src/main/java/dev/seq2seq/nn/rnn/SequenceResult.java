package dev.seq2seq.nn.rnn;

import dev.seq2seq.engine.Tensor;

/**
 * What a recurrent layer returns for a whole sequence, covering Keras's options at once:
 * {@code outputs} is return_sequences=True ([T, B, H], zeros at padded steps), {@link #lastOutput()}
 * is return_sequences=False (each row's output at its true last step), and {@code state} is
 * return_state=True.
 *
 * @param <S> the state type: {@link LSTMState} or {@link GRUState}
 */
public record SequenceResult<S>(Tensor outputs, Tensor lastOutput, S state) {
}
