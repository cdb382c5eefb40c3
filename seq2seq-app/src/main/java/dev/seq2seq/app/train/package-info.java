/**
 * Training: the epoch loop ({@code Trainer}), the run to start or resume ({@code TrainingRun},
 * {@code SeedJob}: the seed's settings), batches per epoch ({@code BatchPlan}), and what a run
 * writes beside its checkpoint ({@code RunFiles}, held by one process at a time through
 * {@code RunLock}): the best checkpoint, {@code HistoryFile}, {@code LossCurve}. {@code Progress}
 * draws the progress line on a terminal.
 */
package dev.seq2seq.app.train;
