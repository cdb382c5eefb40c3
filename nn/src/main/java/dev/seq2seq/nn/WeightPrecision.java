package dev.seq2seq.nn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.engine.kernels.Bf16;

/**
 * How decoding stores the matrices a step reads whole: as float32 (training's own numbers), or as
 * bfloat16, half the bytes (see {@link Bf16}). A decoding step of one to three sentences is bound
 * by reading the recurrent kernels and the output layer from cache, not by arithmetic, so half
 * the bytes is most of half the time there. bf16 keeps 8 significant bits of each weight: a model
 * decoded so gives slightly different scores, which BENCHMARKS.md measures as chrF2 on a
 * validation split.
 */
public enum WeightPrecision {
    /** The weights as trained. */
    FLOAT32,
    /** The weights rounded to the nearest bfloat16, ties to even. */
    BF16;

    /** Rounds {@code weights} in place to this precision's values (float32: leaves them as they are). */
    public void roundInPlace(Tensor weights) {
        if (this == BF16) {
            float[] data = weights.data();
            for (int i = weights.offset(), end = weights.offset() + weights.size(); i < end; i++) {
                data[i] = Bf16.widen(Bf16.round(data[i]));
            }
        }
    }
}
