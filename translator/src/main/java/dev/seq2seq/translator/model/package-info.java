/**
 * The seed's encoder-decoder ({@code Seq2SeqModel}), the faster view of it that decoding takes
 * ({@code Decoding}), its configuration ({@code ModelConfig}, {@code Cell}), and its checkpoint
 * file ({@code ModelFile}: weights, configuration, vocabularies and training state in one
 * safetensors file, every metadata field checked on load by {@code MetadataReader}).
 */
package dev.seq2seq.translator.model;
