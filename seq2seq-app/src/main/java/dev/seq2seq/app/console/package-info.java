/**
 * The terminal side of training: {@code ConsoleView} gives the trainer a progress line
 * ({@code Progress}, as wide as {@code TerminalWidth} finds the terminal) and redraws the loss
 * curve after each epoch.
 */
package dev.seq2seq.app.console;
