/**
 * Pictures the program draws for people: the attention of a translation as a heat-map
 * ({@code AlignmentPicture}). The loss curve is drawn by training's {@code LossCurve}.
 */
package dev.seq2seq.app.plot;
