package dev.seq2seq.translator.train;

import dev.seq2seq.nn.io.AtomicFile;
import dev.seq2seq.translator.data.DataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One training run per checkpoint: {@code train} holds an operating-system lock
 * ({@link FileChannel#tryLock}) on {@code <model>.lock} for as long as it runs, and writes its
 * process id there. A second run on the same model is refused at once, naming the holder. The
 * lock goes with the process, however it ends (kill -9 included); the small file stays, as
 * lock files do, and the next run takes it over.
 *
 * <p>Taking the lock is also the first write in the model's folder, so a folder that cannot be
 * written is reported before any training, with its path and the system's reason.
 */
public final class RunLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code files}' model, or says who holds it. */
    public static RunLock acquire(RunFiles files) throws DataException {
        Path path = files.lock();
        Path folder = path.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            throw new DataException(files.model() + ": cannot be written (the folder " + folder + " does not exist)");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new DataException(files.model() + ": cannot be written (" + path + ": " + AtomicFile.reason(e) + ")");
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process
            }
            if (lock == null) {
                ByteBuffer pid = ByteBuffer.allocate(32); // a process id, never a whole planted file
                channel.read(pid, 0);
                String holder = new String(pid.array(), 0, pid.position(), StandardCharsets.UTF_8).strip();
                channel.close();
                throw new DataException(files.model() + ": another training run is writing it (process "
                        + (holder.isEmpty() ? "unknown" : holder) + ", holding " + path + "); wait for it to end or"
                        + " choose another --model");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new RunLock(channel, lock);
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the first failure is the one to report
            }
            throw new DataException(files.model() + ": cannot be written (" + path + ": " + AtomicFile.reason(e) + ")");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
