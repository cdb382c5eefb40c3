/** What a model achieves on held-out pairs: loss, next-token accuracy, exact match, chrF and BLEU. */
package dev.seq2seq.app.eval;
