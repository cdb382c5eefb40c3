package dev.seq2seq.translator.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Lines of UTF-8 text read one at a time from a stream, for every text input of the program (pair
 * files, {@code translate --file}, standard input), so all are held to the same rules:
 *
 * <ul>
 *   <li>strict UTF-8: an invalid byte is an error naming the line, never a silent replacement;</li>
 *   <li>a byte-order mark at the start is dropped, and a CR before the LF;</li>
 *   <li>a zero byte means a binary file, and a line over {@link Limits#MAX_LINE_BYTES} is refused
 *       before it is held in memory (so {@code /dev/zero} or a huge binary file fail at once);</li>
 *   <li>the SHA-256 of every byte read is kept, to recognise the file later.</li>
 * </ul>
 */
public final class TextLines implements AutoCloseable {
    private final String source;
    private final InputStream in;
    private final MessageDigest digest;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    /** Bytes read from {@code in} and not yet handed out: buffer[position, limit). */
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private int lineNumber;
    private long bytesRead;
    private boolean ended;

    /** Lines of {@code in}; {@code source} names it in messages (a path, "standard input"). */
    public TextLines(InputStream in, String source) {
        this.source = source;
        this.in = in;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Reads the next block into the buffer (and the digest); false at the end of the input. */
    private boolean fill() throws IOException {
        int read = in.read(buffer);
        position = 0;
        limit = Math.max(read, 0);
        if (read > 0) {
            digest.update(buffer, 0, read);
        }
        return read > 0;
    }

    /** The next line without its line end, or null at the end of the input. */
    public String next() throws IOException, DataException {
        if (ended) {
            return null;
        }
        line.reset();
        boolean endOfLine = false;
        while (!endOfLine) {
            if (position == limit && !fill()) {
                ended = true;
                if (line.size() == 0) {
                    return null;
                }
                break;
            }
            int from = position;
            while (position < limit && buffer[position] != '\n') {
                if (buffer[position] == 0) {
                    throw new DataException(source + ": not a text file (a zero byte at offset "
                            + (bytesRead + position - from) + ", line " + (lineNumber + 1) + ")");
                }
                position++;
            }
            if (line.size() + position - from > Limits.MAX_LINE_BYTES) {
                throw new DataException(source + ": line " + (lineNumber + 1) + " is longer than "
                        + Limits.MAX_LINE_BYTES + " bytes; not a file of sentences");
            }
            line.write(buffer, from, position - from);
            bytesRead += position - from;
            if (position < limit) { // the line end: consumed, not kept
                position++;
                bytesRead++;
                endOfLine = true;
            }
        }
        lineNumber++;
        String text = decode(line.toByteArray());
        if (lineNumber == 1 && text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private String decode(byte[] bytes) throws DataException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            return decoder.reset().decode(buffer).toString();
        } catch (CharacterCodingException e) {
            throw new DataException(source + ": line " + lineNumber + " is not UTF-8 text (an invalid byte at column "
                    + (buffer.position() + 1) + ")");
        }
    }

    /**
     * Whether more input can be read without waiting (buffered, or already sent down a pipe): a
     * reader that batches lines takes only those, so an interactive pipe gets each answer at once.
     */
    public boolean ready() throws IOException {
        return !ended && (position < limit || in.available() > 0);
    }

    /** The number of the line {@link #next} returned last (from 1). */
    public int lineNumber() {
        return lineNumber;
    }

    /** Bytes read so far. */
    public long bytesRead() {
        return bytesRead;
    }

    /** SHA-256 of every byte of the input, in hex; reads what is left of it. */
    public String sha256() throws IOException {
        while (fill()) {
            // every byte goes through the digest
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
