/**
 * {@code seq2seq serve}: the translator over HTTP. {@code TranslationServer} wires the JDK's HTTP
 * server to OpenNMT-py's REST API ({@code TranslationApi}), a {@code Batcher} that decodes
 * concurrent requests together, and the page ({@code StaticFiles}, from {@code page/} in the jar).
 */
package dev.seq2seq.app.serve;
