package dev.seq2seq.app.cli;

import dev.seq2seq.translator.data.Limits;
import dev.seq2seq.translator.decode.BatchTranslator;
import dev.seq2seq.translator.decode.DecodeOptions;
import dev.seq2seq.translator.decode.LengthPenalty;
import dev.seq2seq.translator.model.Seq2SeqModel;
import picocli.CommandLine.Option;

/** How translate and evaluate decode: the beam, the n-best, the length penalty and the length limits. */
final class DecodeOption {
    @Option(names = "--beam", paramLabel = "K", defaultValue = "" + DecodeOptions.DEFAULT_BEAM,
            description = "Beam width; 1 = greedy decoding (the seed's). Default: ${DEFAULT-VALUE}.")
    int beam;

    @Option(names = "--n-best", paramLabel = "N", defaultValue = "1",
            description = "Outputs kept per sentence, best first (at most --beam). Default: ${DEFAULT-VALUE}.")
    int nBest;

    @Option(names = "--length-penalty", paramLabel = "KIND", defaultValue = DecodeOptions.DEFAULT_PENALTY,
            converter = LengthPenaltyConverter.class,
            description = "How scores of outputs of different lengths are compared: none (total log-probability),"
                    + " avg (per token) or wu (divided by ((5 + length) / 6)^alpha). Default: ${DEFAULT-VALUE}.",
            completionCandidates = LengthPenaltyConverter.Names.class)
    LengthPenalty lengthPenalty;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "" + DecodeOptions.DEFAULT_ALPHA,
            description = "The wu penalty's alpha (0 = none; higher favours longer outputs). Default: ${DEFAULT-VALUE}.")
    double alpha;

    @Option(names = "--max-length", paramLabel = "N",
            description = "Longest output, in tokens, at most " + Limits.MAX_SENTENCE_CHARACTERS
                    + ". Default: the longest training target plus a quarter.")
    Integer maxLength;

    @Option(names = "--max-length-ratio", paramLabel = "R", defaultValue = "0",
            description = "Also stop an output at R times its source's length (rounded up); 0 = no such limit."
                    + " Default: ${DEFAULT-VALUE}.")
    double maxLengthRatio;

    @Option(names = "--replace-unk", description = "Let the output hold the unknown token, then copy in its place"
            + " the source token its step attended to most (models with attention; OpenNMT-py's -replace_unk).")
    boolean replaceUnknown;

    /** The options for this model (its default length limit unless --max-length). */
    DecodeOptions options(Seq2SeqModel model) {
        check();
        int limit = maxLength != null ? maxLength : BatchTranslator.defaultMaxLength(model);
        if (replaceUnknown && !model.attends()) {
            throw new IllegalArgumentException("--replace-unk needs a model with attention (train --attention), to say"
                    + " which source token to copy; this one has none");
        }
        return new DecodeOptions(beam, nBest, lengthPenalty, alpha, limit, maxLengthRatio, replaceUnknown);
    }

    /** Refuses an option out of range, naming it: before any model is loaded. */
    void check() {
        if (beam < 1 || nBest < 1 || nBest > beam) {
            throw new IllegalArgumentException("--beam must be at least 1 and --n-best from 1 to --beam, got --beam "
                    + beam + " and --n-best " + nBest);
        }
        if (beam > DecodeOptions.MAX_BEAM) {
            throw new IllegalArgumentException("--beam is at most " + DecodeOptions.MAX_BEAM + ", got " + beam);
        }
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("--alpha must be a number of at least 0, got " + alpha);
        }
        if (maxLength != null && (maxLength < 1 || maxLength > Limits.MAX_SENTENCE_CHARACTERS)) {
            throw new IllegalArgumentException("--max-length must be from 1 to " + Limits.MAX_SENTENCE_CHARACTERS
                    + ", got " + maxLength);
        }
        if (!(maxLengthRatio >= 0) || Double.isInfinite(maxLengthRatio)) {
            throw new IllegalArgumentException("--max-length-ratio must be a number of at least 0, got "
                    + maxLengthRatio);
        }
    }
}
