package dev.seq2seq.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing files: never through a planted link, nothing left behind on failure, messages that name the target. */
class AtomicFileTest {
    @TempDir
    Path folder;

    private List<String> names() throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aLinkPlantedWhereATemporaryFileMightGoIsNeverWrittenThrough() throws IOException {
        Path victim = folder.resolve("victim.txt");
        Files.writeString(victim, "precious");
        Path target = folder.resolve("curve.png");
        // The names an older version used, and names of this version's pattern for this process.
        Files.createSymbolicLink(folder.resolve("curve.png.tmp"), victim);
        for (int i = 0; i < 16; i++) {
            Files.createSymbolicLink(folder.resolve("curve.png." + ProcessHandle.current().pid() + "." + i + ".tmp"),
                    victim);
        }
        AtomicFile.write(target, out -> out.write("new content".getBytes(StandardCharsets.UTF_8)));
        assertEquals("precious", Files.readString(victim));
        assertEquals("new content", Files.readString(target));
        assertFalse(Files.isSymbolicLink(target));
    }

    @Test
    void aTargetThatIsALinkIsReplacedNotFollowed() throws IOException {
        Path victim = folder.resolve("victim.txt");
        Files.writeString(victim, "precious");
        Path target = folder.resolve("model.safetensors");
        Files.createSymbolicLink(target, victim);
        AtomicFile.write(target, out -> out.write(1));
        assertEquals("precious", Files.readString(victim));
        assertEquals(1, Files.size(target));
    }

    @Test
    void aFailureLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = folder.resolve("model.safetensors");
        Files.writeString(target, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(target, out -> {
            out.write(new byte[1000]);
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().startsWith(target + ": cannot be written (No space left on device)"), e.getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(List.of("model.safetensors"), names());
        assertThrows(IllegalStateException.class, () -> AtomicFile.write(target, out -> {
            throw new IllegalStateException("a bug");
        }));
        assertEquals(List.of("model.safetensors"), names());
    }

    @Test
    void messagesNameTheUsersPathAndTheReason() throws IOException {
        Path sub = Files.createDirectory(folder.resolve("sub"));
        IOException folderTarget = assertThrows(IOException.class, () -> AtomicFile.write(sub, out -> out.write(1)));
        assertTrue(folderTarget.getMessage().equals(sub + ": is a folder, not a file name"), folderTarget.getMessage());
        Path missing = folder.resolve("no-such-folder").resolve("model.safetensors");
        IOException noFolder = assertThrows(IOException.class, () -> AtomicFile.write(missing, out -> out.write(1)));
        assertTrue(noFolder.getMessage().startsWith(missing + ": cannot be written (no such file or folder)"),
                noFolder.getMessage());
        assertFalse(noFolder.getMessage().contains(".tmp"), noFolder.getMessage());
    }

    @Test
    void staleTemporaryFilesOfTheTargetAreSweptAndNothingElse() throws IOException {
        Path target = folder.resolve("m.safetensors");
        Files.writeString(folder.resolve("m.safetensors.4242.1a2b.tmp"), "stale");
        Files.writeString(folder.resolve("m.safetensors.best.4242.1a2b.tmp"), "another target's");
        Files.writeString(folder.resolve("m.safetensors.tmp"), "not our pattern");
        Files.writeString(folder.resolve("other.safetensors.4242.1a2b.tmp"), "another target's");
        assertEquals(1, AtomicFile.sweepStale(target));
        assertEquals(List.of("m.safetensors.best.4242.1a2b.tmp", "m.safetensors.tmp",
                "other.safetensors.4242.1a2b.tmp"), names());
    }
}
