package dev.seq2seq.translator.decode;

import dev.seq2seq.engine.kernels.Backend;
import dev.seq2seq.engine.kernels.ParallelKernels;
import dev.seq2seq.nn.rnn.RecurrentLayer;

/**
 * A batch of sentences decoded on every core at once, each core taking a group of whole sentences
 * through all of their steps, its kernels on its own thread. The ops of a step would otherwise be
 * shared out one at a time (the recurrence's rows, then the output layer's), each core waiting for
 * the other at the end of each, twice a step, and the caller alone choosing the next tokens in
 * between. A sentence's result does not depend on the others in its batch (the rows of every op
 * are computed alone, and a row past its source's end carries its state), so the groups give the
 * same outputs, to the bit, as the whole batch.
 */
final class SentenceGroups {
    /**
     * The fewest decoder rows a group holds: the recurrences' own least share of a core
     * ({@link RecurrentLayer#MIN_ROWS_PER_CORE}). Fewer rows (one sentence, or a beam of it) are
     * shared by units instead, each core reading half of U, which then stays in its L2.
     */
    static final int MIN_ROWS = RecurrentLayer.MIN_ROWS_PER_CORE;

    private SentenceGroups() {
    }

    /**
     * Runs {@code body} over [0, sentences) cut into one group per core, each of at least
     * {@link #MIN_ROWS} rows at {@code rowsPerSentence} rows a sentence; a batch too small for two
     * groups runs as one, on the calling thread, its ops shared between the cores as before.
     */
    static void forEach(int sentences, int rowsPerSentence, ParallelKernels.Range body) {
        int minSentences = (MIN_ROWS + rowsPerSentence - 1) / rowsPerSentence;
        Backend.kernels().forEachPart(sentences, minSentences, body);
    }
}
