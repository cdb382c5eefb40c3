/**
 * Training: the epoch loop ({@code Trainer}), the run to start or resume ({@code TrainingRun},
 * {@code SeedJob}: the seed's settings), batches per epoch ({@code BatchPlan}), and what a run
 * writes beside its checkpoint ({@code RunFiles}, held by one process at a time through
 * {@code RunLock}): the best checkpoint and {@code HistoryFile}. A {@code TrainingView} shows the
 * progress and draws what the caller wants drawn (the command line: a progress line and the loss
 * curve).
 */
package dev.seq2seq.translator.train;
