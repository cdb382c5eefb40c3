/**
 * The LSTM and GRU layers. Each cell has its math in one class ({@code LSTMCell}, {@code GRUCell}:
 * the forward and backward equations side by side) and is computed along four paths, which the
 * tests hold to the same numbers:
 *
 * <pre>
 *   path                     where                                       used by
 *   1 sequence (training)    LSTMRecurrence, GRURecurrence: one fused     teacher forcing, the loss
 *                            op over T steps, backprop through time
 *   2 inference step         GatedRecurrentLayer.step / stepTokens:       decoding many sentences
 *                            one step, tape-free, rows in groups per core
 *   3 unit-split stepper     TokenStepper, UnitSplitStepper: the units    decoding one to three
 *                            cut into one range per core, each with its   sentences
 *                            own contiguous panel of U; a whole run of
 *                            steps in lockstep (LockstepRun)
 *   4 reference cell         LSTMReferenceCell, GRUReferenceCell: the     the tests: the readable
 *                            step composed of autograd ops                statement of 1
 * </pre>
 *
 * What ties them: {@code FusedVsReferenceTest} (1 = 4, values and gradients),
 * {@code StepVsSequenceTest} (T steps of 2 = 1 over T, bit for bit; 3 = 2, bit for bit),
 * {@code TokenStepperRunTest} (a run of 3 in lockstep = its steps one at a time, bit for bit),
 * {@code RecurrentGradientTest} (1 against central differences, padded rows, T = 1, batch 1),
 * {@code GoldenValuesTest} (1 against PyTorch), and in the app {@code DecodingTest} (the model's
 * decoding with 3 = its step with 2).
 *
 * <p>Memory of path 1: the input projection's array becomes the gate activations, then the gate
 * gradients, then the projection's gradient ({@code Projection}); the other arrays kept for
 * backward are recycled once dead ({@code RecurrenceBuffers}); a backward runs once per forward.
 * A forward that no backward follows (validation, evaluation) keeps one step of the gates and two
 * of the state instead of all of them.
 *
 * <p>Shape letters are those of the engine's package comment; the gate blocks of a [.., G*H]
 * array are in Keras's order (i, f, c, o for the LSTM; z, r, h for the GRU).
 */
package dev.seq2seq.nn.rnn;
