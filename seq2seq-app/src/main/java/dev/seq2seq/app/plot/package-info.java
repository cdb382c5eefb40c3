/**
 * Pictures the program draws for people: the attention of a translation as a heat-map
 * ({@code AlignmentPicture}) and the loss curve of a training run ({@code LossCurve}).
 */
package dev.seq2seq.app.plot;
