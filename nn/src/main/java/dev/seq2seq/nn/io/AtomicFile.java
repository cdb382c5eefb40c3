package dev.seq2seq.nn.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The one way this project writes a file: the whole content goes to a new temporary file beside
 * the target, which is forced to disk and renamed over the target. A crash leaves either the old
 * file or the new one, never half of one.
 *
 * <p>The temporary file is created exclusively ({@code O_CREAT | O_EXCL}, which never follows a
 * symbolic link) under a name nobody can guess in advance, {@code <target name>.<pid>.<random>.tmp},
 * so a link or file planted in the folder is never written through. It is deleted on every failure
 * path; only a killed process leaves one behind, and {@link #sweepStale} removes those (call it
 * while holding the run's lock, so no live writer's file is swept).
 *
 * <p>Failures are reported as an {@link IOException} that names the target the user asked for and
 * the operating system's reason ("No space left on device"), never the temporary file's name.
 */
public final class AtomicFile {
    private static final String SUFFIX = ".tmp";
    private static final int ATTEMPTS = 16;

    private AtomicFile() {
    }

    /** Writes the content {@code body} produces. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Replaces {@code target} with what {@code body} writes, atomically. */
    public static void write(Path target, Body body) throws IOException {
        Path folder = folderOf(target);
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(target + ": is a folder, not a file name");
        }
        Path temporary = null;
        try {
            Created created = createExclusive(folder, target);
            temporary = created.path();
            try (FileChannel channel = created.channel(); OutputStream out = Channels.newOutputStream(channel)) {
                body.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
        } catch (IOException e) {
            throw new IOException(target + ": cannot be written (" + reason(e) + ")", e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the original failure is the one to report
                }
            }
        }
    }

    private record Created(Path path, FileChannel channel) {
    }

    /** A new file of a fresh name in the folder: never an existing file, never through a link. */
    private static Created createExclusive(Path folder, Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temporary = folder.resolve(temporaryName(target));
            try {
                return new Created(temporary, FileChannel.open(temporary, StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS));
            } catch (FileAlreadyExistsException taken) {
                if (attempt == ATTEMPTS) { // someone else's file: never touched; another name is tried
                    throw taken;
                }
            }
        }
    }

    /**
     * Deletes the temporary files a killed writer of {@code target} left behind (names of the
     * pattern above, in the target's folder); returns how many.
     */
    public static int sweepStale(Path target) throws IOException {
        Pattern ours = Pattern.compile(Pattern.quote(target.getFileName().toString()) + "\\.\\d+\\.[0-9a-f]+"
                + Pattern.quote(SUFFIX));
        Path folder = folderOf(target);
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                if (ours.matcher(entry.getFileName().toString()).matches()) {
                    stale.add(entry);
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        for (Path entry : stale) {
            Files.deleteIfExists(entry); // removes a link itself, never what it points to
        }
        return stale.size();
    }

    /** The operating system's reason for a failed file operation, in words, without the path. */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file of that name already exists";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static Path folderOf(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IllegalArgumentException(target + ": not a file name");
        }
        return parent;
    }

    private static String temporaryName(Path target) {
        return target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + SUFFIX;
    }
}
