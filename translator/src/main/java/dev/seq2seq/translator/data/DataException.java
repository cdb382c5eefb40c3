package dev.seq2seq.translator.data;

/** A problem with the user's data or input: the message says what and where, no stack trace needed. */
public final class DataException extends Exception {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }
}
