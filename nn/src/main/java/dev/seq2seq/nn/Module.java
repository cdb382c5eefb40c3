package dev.seq2seq.nn;

import dev.seq2seq.engine.Tensor;
import java.util.List;

/**
 * Something with trainable parameters. Every parameter is a named owner tensor that requires a
 * gradient; the names ("encoder/kernel", ...) are the keys of a checkpoint.
 */
public interface Module {
    List<Tensor> parameters();
}
