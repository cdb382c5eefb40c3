/**
 * Scores as sacreBLEU 2.x computes them ({@code ChrF}, {@code Bleu} with its {@code BleuTokenizer},
 * {@code References} for one or several per sentence, {@code MetricScore} with the signature), and
 * what a model achieves on held-out pairs grouped by source ({@code Evaluation}).
 */
package dev.seq2seq.translator.eval;
