/**
 * From a trained model to text: {@code GreedyDecoder} (the seed's inference loop, many sentences in
 * lockstep) and {@code Translator} (text in, text out, unknown tokens reported once).
 */
package dev.seq2seq.app.decode;
