package dev.seq2seq.app.cli;

import dev.seq2seq.nn.WeightPrecision;
import dev.seq2seq.translator.model.Seq2SeqModel;
import picocli.CommandLine.Option;

/**
 * How translate, evaluate and serve hold the matrices a decoding step reads whole (see
 * {@link Seq2SeqModel#withDecodingWeights}).
 */
final class WeightsOption {
    @Option(names = "--weights", paramLabel = "PRECISION", defaultValue = "float32",
            description = "How decoding holds the recurrent kernels and the output layer: float32 (as trained) or bf16"
                    + " (rounded to bfloat16: half the bytes to read, so one to three character-level sentences at a"
                    + " time decode faster with --beam 1; scores move slightly, see BENCHMARKS.md)."
                    + " Default: ${DEFAULT-VALUE}.")
    WeightPrecision precision;

    /** The model to decode with: {@code model} itself in float32, its rounded copy in bf16. */
    Seq2SeqModel apply(Seq2SeqModel model) {
        return model.withDecodingWeights(precision);
    }
}
