package dev.seq2seq.nn;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.nn.io.SafeTensors;
import dev.seq2seq.nn.optim.RMSprop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One file of PyTorch's golden values ({@code tools/golden/make_fixtures.py}), read from the test
 * resources: its tensors by key, and its metadata (sizes, RMSprop settings, the torch version).
 */
public record GoldenFixture(Map<String, Tensor> tensors, Map<String, String> metadata) {

    /** {@code /golden/<name>.safetensors}. */
    public static GoldenFixture load(String name) {
        try {
            Path file = Path.of(GoldenFixture.class.getResource("/golden/" + name + ".safetensors").toURI());
            SafeTensors.Contents contents = SafeTensors.read(file);
            return new GoldenFixture(contents.tensors(), contents.metadata());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A whole-number metadata field (a size). */
    public int integer(String key) {
        return Integer.parseInt(metadata.get(key));
    }

    /** The torch version that wrote the file. */
    public String torch() {
        return metadata.get("torch");
    }

    /** RMSprop over the weights with the file's learning rate, rho and epsilon, no clipping. */
    public RMSprop rmsprop(List<Tensor> weights) {
        return new RMSprop(weights, Float.parseFloat(metadata.get("learning_rate")),
                Float.parseFloat(metadata.get("rho")), Float.parseFloat(metadata.get("epsilon")), 0f);
    }
}
