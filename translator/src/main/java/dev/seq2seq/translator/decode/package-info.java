/**
 * From a trained model to text: {@code BeamSearch} (the live hypotheses of many sentences stepped
 * as one batch; a beam of 1 is greedy decoding) and its step's ranking of candidates
 * ({@code BeamRanking}), {@code GreedyDecoder} (the seed's inference loop,
 * many sentences in lockstep), {@code SentenceGroups} (a large batch as one group of whole
 * sentences per core), their settings ({@code DecodeOptions}, {@code LengthPenalty}), and
 * {@code BatchTranslator} (text in, n-best text out: each {@code SentenceTranslation} holds its
 * {@code Translation}s and its warnings as data), and {@code TranslationJson} (the JSON lines of
 * {@code translate --format jsonl}).
 */
package dev.seq2seq.translator.decode;
