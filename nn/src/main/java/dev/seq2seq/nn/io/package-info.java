/**
 * Files: {@link dev.seq2seq.nn.io.AtomicFile}, the one way anything is written (an exclusively
 * created temporary file beside the target, renamed over it); {@link dev.seq2seq.nn.io.SafeTensors},
 * the safetensors layout, read with every header field checked before anything is allocated; and
 * {@link dev.seq2seq.nn.io.Checkpoint}, named tensors saved and restored only when all of them fit.
 */
package dev.seq2seq.nn.io;
