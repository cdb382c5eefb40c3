/**
 * The command line ({@code seq2seq train | translate | evaluate | score | export | bench | serve}), with picocli:
 * one class per command, options validated before anything runs, user mistakes reported in one
 * line with exit code 2 ({@link dev.seq2seq.app.cli.Main} lists the codes).
 */
package dev.seq2seq.app.cli;
