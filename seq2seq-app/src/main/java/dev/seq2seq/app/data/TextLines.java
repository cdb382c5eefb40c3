package dev.seq2seq.app.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
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
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private int lineNumber;
    private long bytesRead;
    private boolean ended;

    /** Lines of {@code in}; {@code source} names it in messages (a path, "standard input"). */
    public TextLines(InputStream in, String source) {
        this.source = source;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        this.in = new DigestInputStream(new BufferedInputStream(in, 1 << 16), digest);
    }

    /** The next line without its line end, or null at the end of the input. */
    public String next() throws IOException, DataException {
        if (ended) {
            return null;
        }
        line.reset();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b == 0) {
                throw new DataException(source + ": not a text file (a zero byte at offset " + bytesRead + ", line "
                        + (lineNumber + 1) + ")");
            }
            if (line.size() == Limits.MAX_LINE_BYTES) {
                throw new DataException(source + ": line " + (lineNumber + 1) + " is longer than "
                        + Limits.MAX_LINE_BYTES + " bytes; not a file of sentences");
            }
            line.write(b);
            bytesRead++;
        }
        if (b < 0) {
            ended = true;
            if (line.size() == 0) {
                return null;
            }
        } else {
            bytesRead++;
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
        return !ended && in.available() > 0;
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
        in.transferTo(OutputStream.nullOutputStream());
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
