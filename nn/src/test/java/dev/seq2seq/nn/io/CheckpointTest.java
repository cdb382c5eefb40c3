package dev.seq2seq.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.nn.Dense;
import dev.seq2seq.nn.rnn.LSTM;
import dev.seq2seq.nn.rnn.LSTMState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path folder;

    private static List<Tensor> model(long seed) {
        List<Tensor> tensors = new ArrayList<>(new LSTM("encoder", 5, 4, seed).parameters());
        tensors.addAll(new Dense("dense", 4, 3, Dense.Activation.LINEAR, seed + 10).parameters());
        return tensors;
    }

    @Test
    void roundTripGivesIdenticalOutputs() throws IOException {
        LSTM saved = new LSTM("encoder", 5, 4, 1);
        Path file = folder.resolve("model.safetensors");
        Checkpoint.save(file, Map.of("units", "4", "vocabulary", "abc\t\n\u202f"), saved.parameters());
        LSTM loaded = new LSTM("encoder", 5, 4, 2);
        Map<String, String> metadata = Checkpoint.restore(file, loaded.parameters());
        assertEquals("abc\t\n\u202f", metadata.get("vocabulary"));
        Tensor x = Tensor.uniform(3, -1, 1, 4, 2, 5);
        LSTMState a = saved.forward(x, null, null).state();
        LSTMState b = loaded.forward(x, null, null).state();
        assertArrayEquals(a.h().toArray(), b.h().toArray());
        assertArrayEquals(a.c().toArray(), b.c().toArray());
        assertEquals(4, Integer.parseInt(SafeTensors.readMetadata(file).get("units")));
    }

    @Test
    void theFileFollowsTheSafetensorsLayout() throws IOException {
        Path file = folder.resolve("layout.safetensors");
        Tensor t = Tensor.of(new float[] {1.5f, -2f}, 2).named("t");
        Checkpoint.save(file, Map.of(), List.of(t));
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "header padded to 8 bytes");
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}"), header);
        ByteBuffer data = ByteBuffer.wrap(bytes, 8 + (int) headerLength, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1.5f, data.getFloat());
        assertEquals(-2f, data.getFloat());
    }

    @Test
    void aFailedSaveLeavesThePreviousCheckpointIntact() throws IOException {
        Path file = folder.resolve("model.safetensors");
        List<Tensor> first = model(1);
        Checkpoint.save(file, Map.of("epoch", "1"), first);
        byte[] before = Files.readAllBytes(file);
        List<Tensor> exploding = new AbstractList<>() {
            @Override
            public Tensor get(int index) {
                if (index == 3) {
                    throw new IllegalStateException("disk full (simulated)");
                }
                return first.get(index);
            }

            @Override
            public int size() {
                return first.size();
            }
        };
        assertThrows(IllegalStateException.class, () -> Checkpoint.save(file, Map.of("epoch", "2"), exploding));
        assertArrayEquals(before, Files.readAllBytes(file));
        try (var entries = Files.list(folder)) {
            assertEquals(1, entries.count(), "the temporary file was removed");
        }
    }

    private Path damaged(String name, byte[] bytes) throws IOException {
        Path file = folder.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private byte[] goodBytes() throws IOException {
        Path file = folder.resolve("good.safetensors");
        Checkpoint.save(file, Map.of("k", "v"), model(3));
        return Files.readAllBytes(file);
    }

    private static byte[] withHeader(String json, int dataBytes) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(header.length).put(header);
        return buffer.array();
    }

    private void assertRefused(Path file, String expectedWords) {
        List<Tensor> target = model(4);
        List<float[]> before = target.stream().map(Tensor::toArray).toList();
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.restore(file, target));
        assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expectedWords), "names the problem (" + expectedWords + "): " + e.getMessage());
        for (int i = 0; i < target.size(); i++) {
            assertArrayEquals(before.get(i), target.get(i).toArray(), "the model was changed by a refused file");
        }
    }

    @Test
    void damagedFilesAreRefusedWithTheFirstProblem() throws IOException {
        byte[] good = goodBytes();
        assertRefused(folder.resolve("absent.safetensors"), "no such file");
        assertRefused(damaged("empty.safetensors", new byte[0]), "too short");
        assertRefused(damaged("truncated.safetensors", Arrays.copyOf(good, good.length - 10)), "truncated");
        assertRefused(damaged("cut-in-header.safetensors", Arrays.copyOf(good, 40)), "header length");
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE / 2);
        assertRefused(damaged("huge-header.safetensors", huge), "header length");
        assertRefused(damaged("not-json.safetensors", withHeader("{\"a\": [1, 2", 0)), "not well-formed JSON");
        assertRefused(damaged("f16.safetensors", withHeader(
                "{\"encoder/kernel\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4)), "dtype F16");
        assertRefused(damaged("overlap.safetensors", withHeader(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)), "overlapping");
        assertRefused(damaged("outside.safetensors", withHeader(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8)), "outside");
        assertRefused(damaged("wrong-size.safetensors", withHeader(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)), "needs 12 bytes");
        assertRefused(damaged("not-an-object.safetensors", withHeader("[1,2,3]", 0)), "not an object");
    }

    @Test
    void weightsThatAreNotFiniteAreRefusedNamingTheTensor() throws IOException {
        List<Tensor> saved = model(5);
        saved.get(1).data()[saved.get(1).offset() + 7] = Float.NaN;
        Path file = folder.resolve("nan.safetensors");
        Checkpoint.save(file, Map.of(), saved);
        assertRefused(file, "tensor " + saved.get(1).name() + " holds NaN at element 7");
        saved.get(1).data()[saved.get(1).offset() + 7] = Float.NEGATIVE_INFINITY;
        Checkpoint.save(file, Map.of(), saved);
        assertRefused(file, "holds -Infinity at element 7");
    }

    @Test
    void headersUpToTheFormatsLimitAreReadAndLargerOnesNamedAsSuch() throws IOException {
        // 70 MB of metadata: legal, and read back whole.
        String large = "é".repeat(35_000_000);
        Path file = folder.resolve("large-header.safetensors");
        Checkpoint.save(file, Map.of("notes", large), model(6));
        assertEquals(large, SafeTensors.readMetadata(file).get("notes"));
        // A file that really holds a header over 100,000,000 bytes (sparse): the limit is named.
        Path over = folder.resolve("over-limit.safetensors");
        try (var channel = java.nio.channels.FileChannel.open(over, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
            channel.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 100_000_008L));
            channel.write(ByteBuffer.wrap(new byte[] {' '}), 100_000_100L);
        }
        assertRefused(over, "the header is 100000008 bytes, more than the 100000000 the safetensors format allows");
    }

    @Test
    void aCheckpointOfAnotherModelIsRefused() throws IOException {
        Path file = folder.resolve("other.safetensors");
        List<Tensor> other = new ArrayList<>(new LSTM("encoder", 5, 6, 1).parameters());
        other.addAll(new Dense("dense", 6, 3, Dense.Activation.LINEAR, 2).parameters());
        Checkpoint.save(file, Map.of(), other);
        assertRefused(file, "encoder/kernel has shape [5, 24] but the model expects [5, 16]");
        Path partial = folder.resolve("partial.safetensors");
        Checkpoint.save(partial, Map.of(), new LSTM("encoder", 5, 4, 1).parameters());
        assertRefused(partial, "dense/kernel is missing");
    }
}
