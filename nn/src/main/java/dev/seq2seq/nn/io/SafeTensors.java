package dev.seq2seq.nn.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.seq2seq.engine.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors file layout, so that a checkpoint opens in Python ({@code safetensors.numpy.load_file}):
 *
 * <pre>
 *   8 bytes      N, the header length, unsigned little-endian
 *   N bytes      JSON: {"__metadata__": {string: string}, name: {"dtype": "F32", "shape": [...],
 *                "data_offsets": [begin, end]}, ...}, padded with spaces to a multiple of 8
 *   the rest     the tensors' bytes, little-endian float32, offsets relative to here
 * </pre>
 *
 * Writing goes through {@link AtomicFile}: a crash leaves either the old file or the new one. Reading checks the header against
 * the file size before it allocates anything, so a damaged file gives a {@link CheckpointException}
 * naming the problem, never an OutOfMemoryError or a half-read model.
 */
public final class SafeTensors {
    /** The reference implementation's bound on the header: 100 MB. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA = "__metadata__";

    private SafeTensors() {
    }

    /** What a file holds: its metadata and its tensors, by name, in file order. */
    public record Contents(Map<String, String> metadata, Map<String, Tensor> tensors) {
    }

    /** A tensor's entry in the header. */
    private record Entry(String name, int[] shape, long begin, long end) {
    }

    // ---------------------------------------------------------------- writing

    /** Writes the tensors (each under its {@link Tensor#name()}) and the metadata, atomically. */
    public static void write(Path file, Map<String, String> metadata, Collection<Tensor> tensors) throws IOException {
        JsonObject header = new JsonObject();
        JsonObject meta = new JsonObject();
        metadata.forEach(meta::addProperty);
        header.add(METADATA, meta);
        long offset = 0;
        for (Tensor tensor : tensors) {
            if (tensor.name() == null) {
                throw new IllegalArgumentException("SafeTensors.write: " + tensor.describe() + " has no name");
            }
            if (header.has(tensor.name())) {
                throw new IllegalArgumentException("SafeTensors.write: two tensors are named " + tensor.name());
            }
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (int d : tensor.shape()) {
                shape.add(d);
            }
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += 4L * tensor.size();
            offsets.add(offset);
            entry.add("data_offsets", offsets);
            header.add(tensor.name(), entry);
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');

        AtomicFile.write(file, out -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(length.array());
            out.write(headerBytes);
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor tensor : tensors) {
                float[] data = tensor.data();
                for (int i = tensor.offset(), end = i + tensor.size(); i < end; i++) {
                    if (!chunk.hasRemaining()) {
                        out.write(chunk.array(), 0, chunk.position());
                        chunk.clear();
                    }
                    chunk.putFloat(data[i]);
                }
            }
            out.write(chunk.array(), 0, chunk.position());
        });
    }

    // ---------------------------------------------------------------- reading

    /** Only the metadata (config, vocabularies): enough to build the model before loading weights. */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        try (FileChannel channel = open(file)) {
            return parseMetadata(file, readHeader(file, channel));
        }
    }

    /** Everything, validated. */
    public static Contents read(Path file) throws IOException {
        try (FileChannel channel = open(file)) {
            JsonObject header = readHeader(file, channel);
            Map<String, String> metadata = parseMetadata(file, header);
            long dataStart = channel.position();
            List<Entry> entries = parseEntries(file, header, channel.size() - dataStart);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry entry : entries) {
                Tensor tensor = Tensor.zeros(entry.shape);
                ByteBuffer bytes = ByteBuffer.allocate((int) (entry.end - entry.begin)).order(ByteOrder.LITTLE_ENDIAN);
                long position = dataStart + entry.begin;
                while (bytes.hasRemaining()) {
                    int read = channel.read(bytes, position);
                    if (read < 0) {
                        throw new CheckpointException(file, "tensor " + entry.name + " ends past the end of the file");
                    }
                    position += read;
                }
                bytes.flip().asFloatBuffer().get(tensor.data());
                tensors.put(entry.name, tensor.named(entry.name));
            }
            return new Contents(metadata, tensors);
        }
    }

    private static FileChannel open(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such file");
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot be opened: " + e.getMessage(), e);
        }
    }

    private static JsonObject readHeader(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new CheckpointException(file, "only " + size + " bytes: too short to be a safetensors file");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        while (lengthBytes.hasRemaining() && channel.read(lengthBytes) >= 0) {
            // keep reading
        }
        long length = lengthBytes.flip().getLong();
        if (length <= 0 || length > size - 8) {
            throw new CheckpointException(file, "header length " + Long.toUnsignedString(length)
                    + " is impossible for a file of " + size + " bytes (truncated, or not a safetensors file)");
        }
        if (length > MAX_HEADER_BYTES) {
            throw new CheckpointException(file, "the header is " + length + " bytes, more than the "
                    + MAX_HEADER_BYTES + " the safetensors format allows");
        }
        ByteBuffer json = ByteBuffer.allocate((int) length);
        while (json.hasRemaining() && channel.read(json) >= 0) {
            // keep reading
        }
        try {
            JsonElement parsed = JsonParser.parseString(StandardCharsets.UTF_8.decode(json.flip()).toString());
            if (!parsed.isJsonObject()) {
                throw new CheckpointException(file, "the header is JSON but not an object");
            }
            return parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new CheckpointException(file, "the header is not well-formed JSON (" + e.getMessage() + ")");
        }
    }

    private static Map<String, String> parseMetadata(Path file, JsonObject header) throws CheckpointException {
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonElement meta = header.get(METADATA);
        if (meta == null) {
            return metadata;
        }
        if (!meta.isJsonObject()) {
            throw new CheckpointException(file, METADATA + " is not an object");
        }
        for (Map.Entry<String, JsonElement> entry : meta.getAsJsonObject().entrySet()) {
            JsonElement value = entry.getValue();
            if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                throw new CheckpointException(file, METADATA + " value of '" + entry.getKey() + "' is not a string");
            }
            metadata.put(entry.getKey(), value.getAsString());
        }
        return metadata;
    }

    private static List<Entry> parseEntries(Path file, JsonObject header, long dataBytes) throws CheckpointException {
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonElement> item : header.entrySet()) {
            String name = item.getKey();
            if (name.equals(METADATA)) {
                continue;
            }
            try {
                JsonObject entry = item.getValue().getAsJsonObject();
                String dtype = entry.get("dtype").getAsString();
                if (!dtype.equals("F32")) {
                    throw new CheckpointException(file, "tensor " + name + " has dtype " + dtype + "; only F32 is supported");
                }
                JsonArray shapeJson = entry.getAsJsonArray("shape");
                int[] shape = new int[shapeJson.size()];
                long elements = 1;
                for (int i = 0; i < shape.length; i++) {
                    long d = shapeJson.get(i).getAsLong();
                    if (d < 0 || d > Integer.MAX_VALUE) {
                        throw new CheckpointException(file, "tensor " + name + " has an impossible dimension " + d);
                    }
                    shape[i] = (int) d;
                    elements *= d;
                    if (elements > Integer.MAX_VALUE) {
                        throw new CheckpointException(file, "tensor " + name + " is too large: " + shapeJson);
                    }
                }
                if (shape.length == 0) {
                    shape = new int[] {1}; // a scalar
                }
                JsonArray offsets = entry.getAsJsonArray("data_offsets");
                long begin = offsets.get(0).getAsLong();
                long end = offsets.get(1).getAsLong();
                if (begin < 0 || end < begin || end > dataBytes) {
                    throw new CheckpointException(file, "tensor " + name + " has offsets [" + begin + ", " + end
                            + "] outside the " + dataBytes + " data bytes");
                }
                if (end - begin != 4 * elements) {
                    throw new CheckpointException(file, "tensor " + name + " of shape " + shapeJson + " needs "
                            + 4 * elements + " bytes but its offsets span " + (end - begin));
                }
                entries.add(new Entry(name, shape, begin, end));
            } catch (RuntimeException e) {
                throw new CheckpointException(file, "the header entry of tensor " + name + " is malformed ("
                        + e.getMessage() + ")");
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin));
        long expected = 0;
        for (Entry entry : entries) {
            if (entry.begin != expected) {
                throw new CheckpointException(file, "tensor " + entry.name + " starts at byte " + entry.begin
                        + " where " + expected + " was expected (overlapping or missing data)");
            }
            expected = entry.end;
        }
        if (expected != dataBytes) {
            throw new CheckpointException(file, "the tensors cover " + expected + " data bytes but the file holds "
                    + dataBytes + " (truncated or padded)");
        }
        return entries;
    }
}
