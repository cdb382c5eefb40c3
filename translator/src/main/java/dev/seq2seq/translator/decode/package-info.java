/**
 * From a trained model to text: {@code BeamSearch} (the live hypotheses of many sentences stepped
 * as one batch; a beam of 1 is greedy decoding), {@code GreedyDecoder} (the seed's inference loop,
 * many sentences in lockstep), their settings ({@code DecodeOptions}, {@code LengthPenalty}), and
 * {@code BatchTranslator} (text in, n-best text out, unknown tokens reported once).
 */
package dev.seq2seq.translator.decode;
