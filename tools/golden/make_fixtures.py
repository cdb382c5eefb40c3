#!/usr/bin/python3
"""Golden values for the nn tests, computed by PyTorch.

For an LSTM and a GRU layer (Keras weight layout, converted to PyTorch's) followed by a Dense
head and softmax cross-entropy, this writes, as safetensors files under
nn/src/test/resources/golden/:

  weights (Keras layout), inputs x [T, B, in], initial h0 (and c0), integer targets,
  outputs [T, B, H], final h (and c), logits, loss,
  the gradient of the loss with respect to every weight, x, h0 (and c0),
  the losses of 3 RMSprop steps and every weight after them.

and one step of global attention (dot, general and additive scores, padded sentences): forward
values and every gradient; and a whole attention decoder (LSTM encoder, LSTM decoder with input
feeding, attention, Dense, cross-entropy): logits, loss, every gradient, and 3 RMSprop steps;
and the cross-entropy against label-smoothed targets, with a mask and both reductions: the loss
and the gradient of the logits; and torch.optim.Adam: two parameters given four steps of
gradients, with PyTorch's defaults and with settings where epsilon weighs: the weights after
every step and the moments after the last.

Run from the repository root with Debian's python3-torch installed:
    /usr/bin/python3 tools/golden/make_fixtures.py   (the system Python, which sees python3-torch)
The Java test GoldenValuesTest replays these files.
"""
import json
import struct
from pathlib import Path

import numpy as np
import torch

T, B, IN, H, CLASSES = 6, 3, 5, 4, 7
LEARNING_RATE, RHO, EPSILON, STEPS = 0.01, 0.9, 1e-7, 3
OUT = Path(__file__).resolve().parents[2] / "nn" / "src" / "test" / "resources" / "golden"


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": {k: str(v) for k, v in metadata.items()}}
    blobs, offset = [], 0
    for name, value in tensors.items():
        data = np.ascontiguousarray(value, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(np.shape(value)), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def uniform(rng, *shape, scale=0.5):
    return rng.uniform(-scale, scale, size=shape).astype(np.float32)


def gru_to_torch(keras_blocks):
    """Keras gate order z, r, h along the last axis -> PyTorch's r, z, n."""
    z, r, n = np.split(keras_blocks, 3, axis=-1)
    return np.concatenate([r, z, n], axis=-1)


def gru_from_torch(torch_blocks):
    r, z, n = np.split(torch_blocks, 3, axis=-1)
    return np.concatenate([z, r, n], axis=-1)


def run(cell, rng):
    gates = 4 if cell == "lstm" else 3
    keras = {
        "kernel": uniform(rng, IN, gates * H),
        "recurrent_kernel": uniform(rng, H, gates * H),
        "bias": uniform(rng, gates * H) if cell == "lstm" else uniform(rng, 2, gates * H),
        "dense/kernel": uniform(rng, H, CLASSES),
        "dense/bias": uniform(rng, CLASSES, scale=0.1),
    }
    x = uniform(rng, T, B, IN, scale=1.0)
    h0 = uniform(rng, B, H)
    c0 = uniform(rng, B, H)
    targets = rng.integers(0, CLASSES, size=T * B)

    if cell == "lstm":
        layer = torch.nn.LSTM(IN, H)
        layer.weight_ih_l0.data = torch.tensor(keras["kernel"].T.copy())  # PyTorch's order i, f, g, o = Keras's
        layer.weight_hh_l0.data = torch.tensor(keras["recurrent_kernel"].T.copy())
        layer.bias_ih_l0.data = torch.tensor(keras["bias"])
        layer.bias_hh_l0.data = torch.zeros(gates * H)
        layer.bias_hh_l0.requires_grad_(False)  # Keras has one bias
    else:
        layer = torch.nn.GRU(IN, H)
        layer.weight_ih_l0.data = torch.tensor(gru_to_torch(keras["kernel"]).T.copy())
        layer.weight_hh_l0.data = torch.tensor(gru_to_torch(keras["recurrent_kernel"]).T.copy())
        layer.bias_ih_l0.data = torch.tensor(gru_to_torch(keras["bias"][0]))
        layer.bias_hh_l0.data = torch.tensor(gru_to_torch(keras["bias"][1]))
    dense_kernel = torch.tensor(keras["dense/kernel"], requires_grad=True)
    dense_bias = torch.tensor(keras["dense/bias"], requires_grad=True)
    x_t = torch.tensor(x, requires_grad=True)
    h0_t = torch.tensor(h0, requires_grad=True)
    c0_t = torch.tensor(c0, requires_grad=True)
    targets_t = torch.tensor(targets)

    def forward():
        if cell == "lstm":
            outputs, (h_n, c_n) = layer(x_t, (h0_t[None], c0_t[None]))
            final = {"final_h": h_n[0], "final_c": c_n[0]}
        else:
            outputs, h_n = layer(x_t, h0_t[None])
            final = {"final_h": h_n[0]}
        logits = outputs.reshape(T * B, H) @ dense_kernel + dense_bias
        return outputs, final, logits, torch.nn.functional.cross_entropy(logits, targets_t)

    def keras_weights():
        if cell == "lstm":
            w = {"kernel": layer.weight_ih_l0.detach().numpy().T, "recurrent_kernel": layer.weight_hh_l0.detach().numpy().T,
                 "bias": layer.bias_ih_l0.detach().numpy()}
        else:
            w = {"kernel": gru_from_torch(layer.weight_ih_l0.detach().numpy().T),
                 "recurrent_kernel": gru_from_torch(layer.weight_hh_l0.detach().numpy().T),
                 "bias": np.stack([gru_from_torch(layer.bias_ih_l0.detach().numpy()),
                                   gru_from_torch(layer.bias_hh_l0.detach().numpy())])}
        w["dense/kernel"] = dense_kernel.detach().numpy()
        w["dense/bias"] = dense_bias.detach().numpy()
        return w

    def keras_gradients():
        if cell == "lstm":
            g = {"kernel": layer.weight_ih_l0.grad.numpy().T, "recurrent_kernel": layer.weight_hh_l0.grad.numpy().T,
                 "bias": layer.bias_ih_l0.grad.numpy()}
        else:
            g = {"kernel": gru_from_torch(layer.weight_ih_l0.grad.numpy().T),
                 "recurrent_kernel": gru_from_torch(layer.weight_hh_l0.grad.numpy().T),
                 "bias": np.stack([gru_from_torch(layer.bias_ih_l0.grad.numpy()),
                                   gru_from_torch(layer.bias_hh_l0.grad.numpy())])}
        g["dense/kernel"] = dense_kernel.grad.numpy()
        g["dense/bias"] = dense_bias.grad.numpy()
        g["x"] = x_t.grad.numpy()
        g["h0"] = h0_t.grad.numpy()
        if cell == "lstm":
            g["c0"] = c0_t.grad.numpy()
        return {"grad/" + k: v.copy() for k, v in g.items()}

    tensors = {"weights/" + k: v for k, v in keras.items()}
    tensors.update({"x": x, "h0": h0, "targets": targets.astype(np.float32)})
    if cell == "lstm":
        tensors["c0"] = c0
    outputs, final, logits, loss = forward()
    loss.backward()
    tensors.update({"outputs": outputs.detach().numpy(), "logits": logits.detach().numpy(),
                    "loss": np.array([loss.item()], dtype=np.float32)})
    tensors.update({k: v.detach().numpy() for k, v in final.items()})
    tensors.update(keras_gradients())

    trainable = [p for p in layer.parameters() if p.requires_grad] + [dense_kernel, dense_bias]
    optimizer = torch.optim.RMSprop(trainable, lr=LEARNING_RATE, alpha=RHO, eps=EPSILON)
    losses = []
    for _ in range(STEPS):
        optimizer.zero_grad()
        _, _, _, step_loss = forward()
        step_loss.backward()
        optimizer.step()
        losses.append(step_loss.item())
    tensors["rmsprop/losses"] = np.array(losses, dtype=np.float32)
    tensors.update({"rmsprop/weights/" + k: v.copy() for k, v in keras_weights().items()})

    metadata = {"cell": cell, "steps": T, "batch": B, "input": IN, "units": H, "classes": CLASSES,
                "learning_rate": LEARNING_RATE, "rho": RHO, "epsilon": EPSILON, "rmsprop_steps": STEPS,
                "torch": torch.__version__, "generator": "tools/golden/make_fixtures.py"}
    OUT.mkdir(parents=True, exist_ok=True)
    write_safetensors(OUT / f"{cell}.safetensors", tensors, metadata)
    print(f"{cell}: loss {loss.item():.6f}, after {STEPS} RMSprop steps {losses[-1]:.6f} -> {OUT / (cell + '.safetensors')}")


def attention(score, rng):
    """One step of global attention (GlobalAttention in nn/attention): decoder state h [B, H] over
    encoder outputs [S, B, H] (time-major) with sentence lengths, then the attentional state
    tanh([c ; h] W_c). The loss is sum(attentional * P) for a fixed random P, so every gradient is
    exercised; padded positions are masked with -inf before the softmax."""
    steps, batch, units = 5, 3, 4
    lengths = np.array([5, 2, 1])
    outputs = uniform(rng, steps, batch, units, scale=1.0)
    h = uniform(rng, batch, units, scale=1.0)
    projection = uniform(rng, batch, units, scale=1.0)
    weights = {"output_kernel": uniform(rng, 2 * units, units)}
    if score in ("general", "additive"):
        weights["score_kernel"] = uniform(rng, units, units)
    if score == "additive":
        weights["memory_kernel"] = uniform(rng, units, units)
        weights["score_vector"] = uniform(rng, units)
    w = {k: torch.tensor(v, requires_grad=True) for k, v in weights.items()}
    outputs_t = torch.tensor(outputs, requires_grad=True)
    h_t = torch.tensor(h, requires_grad=True)

    memory = outputs_t.transpose(0, 1)  # [B, S, H]
    if score == "dot":
        scores = torch.einsum("bh,bsh->bs", h_t, memory)
    elif score == "general":
        scores = torch.einsum("bh,bsh->bs", h_t @ w["score_kernel"], memory)
    else:
        hidden = torch.tanh((h_t @ w["score_kernel"])[:, None, :] + memory @ w["memory_kernel"])
        scores = hidden @ w["score_vector"]
    mask = torch.arange(steps)[None, :] >= torch.tensor(lengths)[:, None]
    attention_weights = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=1)
    context = torch.einsum("bs,bsh->bh", attention_weights, memory)
    attentional = torch.tanh(torch.cat([context, h_t], dim=1) @ w["output_kernel"])
    loss = (attentional * torch.tensor(projection)).sum()
    loss.backward()

    tensors = {"weights/" + k: v for k, v in weights.items()}
    tensors.update({"outputs": outputs.reshape(steps * batch, units), "h": h, "projection": projection,
                    "lengths": lengths.astype(np.float32),
                    "attention_weights": attention_weights.detach().numpy(),
                    "attentional": attentional.detach().numpy(), "loss": np.array([loss.item()], dtype=np.float32),
                    "grad/outputs": outputs_t.grad.numpy().reshape(steps * batch, units), "grad/h": h_t.grad.numpy()})
    tensors.update({"grad/" + k: v.grad.numpy() for k, v in w.items()})
    metadata = {"score": score, "steps": steps, "batch": batch, "units": units, "torch": torch.__version__,
                "generator": "tools/golden/make_fixtures.py"}
    OUT.mkdir(parents=True, exist_ok=True)
    write_safetensors(OUT / f"attention-{score}.safetensors", tensors, metadata)
    print(f"attention {score}: loss {loss.item():.6f} -> {OUT / ('attention-' + score + '.safetensors')}")


def attention_decoder(score, rng):
    """An attention decoder as the model builds it (Seq2SeqModel with --attention): an LSTM encoder
    over one-hot source tokens, an LSTM decoder whose input is [onehot(y_{t-1}) ; h~_{t-1}] (input
    feeding, h~_0 = 0) starting from the encoder's final state, global attention over the encoder
    outputs with padded positions masked, a Dense head on h~_t and cross-entropy averaged over every
    position. Forward, loss, every gradient, and 3 RMSprop steps."""
    src_steps, tgt_steps, batch, src_vocab, tgt_vocab, units = 4, 5, 3, 6, 7, 4
    lengths = np.array([4, 2, 3])
    gates = 4 * units
    keras = {
        "encoder/kernel": uniform(rng, src_vocab, gates), "encoder/recurrent_kernel": uniform(rng, units, gates),
        "encoder/bias": uniform(rng, gates),
        "decoder/kernel": uniform(rng, tgt_vocab + units, gates), "decoder/recurrent_kernel": uniform(rng, units, gates),
        "decoder/bias": uniform(rng, gates),
        "attention/output_kernel": uniform(rng, 2 * units, units),
        "dense/kernel": uniform(rng, units, tgt_vocab), "dense/bias": uniform(rng, tgt_vocab, scale=0.1),
    }
    if score in ("general", "additive"):
        keras["attention/score_kernel"] = uniform(rng, units, units)
    if score == "additive":
        keras["attention/memory_kernel"] = uniform(rng, units, units)
        keras["attention/score_vector"] = uniform(rng, units)
    sources = rng.integers(0, src_vocab, size=(src_steps, batch))
    inputs = rng.integers(0, tgt_vocab, size=(tgt_steps, batch))
    targets = rng.integers(0, tgt_vocab, size=(tgt_steps, batch))
    w = {k: torch.tensor(v, requires_grad=True) for k, v in keras.items()}
    mask = torch.arange(src_steps)[None, :] >= torch.tensor(lengths)[:, None]

    def lstm_step(x, h, c, prefix):
        z = x @ w[prefix + "/kernel"] + h @ w[prefix + "/recurrent_kernel"] + w[prefix + "/bias"]
        i, f, g, o = z.split(units, dim=1)  # Keras's gate order
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c), c

    def forward():
        h, c = torch.zeros(batch, units), torch.zeros(batch, units)
        outputs = []
        for t in range(src_steps):
            x = torch.nn.functional.one_hot(torch.tensor(sources[t]), src_vocab).float()
            h, c = lstm_step(x, h, c, "encoder")
            outputs.append(h)
        memory = torch.stack(outputs, dim=1)  # [B, S, H]
        feed = torch.zeros(batch, units)
        logits = []
        for t in range(tgt_steps):
            x = torch.cat([torch.nn.functional.one_hot(torch.tensor(inputs[t]), tgt_vocab).float(), feed], dim=1)
            h, c = lstm_step(x, h, c, "decoder")
            if score == "dot":
                scores = torch.einsum("bh,bsh->bs", h, memory)
            elif score == "general":
                scores = torch.einsum("bh,bsh->bs", h @ w["attention/score_kernel"], memory)
            else:
                hidden = torch.tanh((h @ w["attention/score_kernel"])[:, None, :] + memory @ w["attention/memory_kernel"])
                scores = hidden @ w["attention/score_vector"]
            weights = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=1)
            context = torch.einsum("bs,bsh->bh", weights, memory)
            feed = torch.tanh(torch.cat([context, h], dim=1) @ w["attention/output_kernel"])
            logits.append(feed @ w["dense/kernel"] + w["dense/bias"])
        logits = torch.cat(logits, dim=0)  # time-major [T*B, V]
        return logits, torch.nn.functional.cross_entropy(logits, torch.tensor(targets.reshape(-1)))

    tensors = {"weights/" + k: v for k, v in keras.items()}
    tensors.update({"sources": sources.reshape(-1).astype(np.float32), "inputs": inputs.reshape(-1).astype(np.float32),
                    "targets": targets.reshape(-1).astype(np.float32), "lengths": lengths.astype(np.float32)})
    logits, loss = forward()
    loss.backward()
    tensors.update({"logits": logits.detach().numpy(), "loss": np.array([loss.item()], dtype=np.float32)})
    tensors.update({"grad/" + k: v.grad.numpy().copy() for k, v in w.items()})
    optimizer = torch.optim.RMSprop(list(w.values()), lr=LEARNING_RATE, alpha=RHO, eps=EPSILON)
    losses = []
    for _ in range(STEPS):
        optimizer.zero_grad()
        _, step_loss = forward()
        step_loss.backward()
        optimizer.step()
        losses.append(step_loss.item())
    tensors["rmsprop/losses"] = np.array(losses, dtype=np.float32)
    tensors.update({"rmsprop/weights/" + k: v.detach().numpy().copy() for k, v in w.items()})
    metadata = {"score": score, "source_steps": src_steps, "target_steps": tgt_steps, "batch": batch,
                "source_vocabulary": src_vocab, "target_vocabulary": tgt_vocab, "units": units,
                "learning_rate": LEARNING_RATE, "rho": RHO, "epsilon": EPSILON, "rmsprop_steps": STEPS,
                "torch": torch.__version__, "generator": "tools/golden/make_fixtures.py"}
    write_safetensors(OUT / f"attention-decoder-{score}.safetensors", tensors, metadata)
    print(f"attention decoder {score}: loss {loss.item():.6f}, after {STEPS} RMSprop steps {losses[-1]:.6f}")


def smoothed_cross_entropy(rng):
    """SoftmaxCrossEntropy with label smoothing: PyTorch's cross_entropy(label_smoothing=e) per
    position, masked, then divided by the real positions (MEAN_OVER_REAL) or by all of them
    (MEAN_OVER_ALL)."""
    rows, classes = 7, 5
    logits = uniform(rng, rows, classes, scale=3.0)
    targets = rng.integers(0, classes, rows)
    mask = np.array([1, 1, 0, 1, 1, 0, 1], dtype=np.float32)
    tensors = {"logits": logits, "targets": targets.astype(np.float32), "mask": mask}
    for smoothing in (0.1, 0.25):
        for reduction, divisor in (("real", mask.sum()), ("all", rows)):
            x = torch.tensor(logits, requires_grad=True)
            per_position = torch.nn.functional.cross_entropy(x, torch.tensor(targets), reduction="none",
                                                             label_smoothing=smoothing)
            loss = (per_position * torch.tensor(mask)).sum() / float(divisor)
            loss.backward()
            key = f"{smoothing}/{reduction}"
            tensors["loss/" + key] = np.array([loss.item()], dtype=np.float32)
            tensors["grad/" + key] = x.grad.numpy()
    metadata = {"rows": rows, "classes": classes, "torch": torch.__version__,
                "generator": "tools/golden/make_fixtures.py"}
    OUT.mkdir(parents=True, exist_ok=True)
    write_safetensors(OUT / "cross-entropy-smoothed.safetensors", tensors, metadata)
    print(f"smoothed cross-entropy -> {OUT / 'cross-entropy-smoothed.safetensors'}")


def adam(rng):
    """torch.optim.Adam on two parameters ([5, 7] and [13]) fed the same four gradients under two
    settings: PyTorch's defaults at lr 0.01, and beta1 0.5, beta2 0.9, epsilon 1e-3, where epsilon is
    large next to sqrt(v) and its place in the formula shows."""
    shapes = {"kernel": (5, 7), "bias": (13,)}
    start = {name: uniform(rng, *shape) for name, shape in shapes.items()}
    gradients = [{name: uniform(rng, *shape, scale=2.0 if step != 2 else 0.01) for name, shape in shapes.items()}
                 for step in range(4)]
    tensors = {"start/" + name: value for name, value in start.items()}
    for step, grads in enumerate(gradients):
        tensors.update({f"grad{step + 1}/{name}": value for name, value in grads.items()})
    settings = {"defaults": dict(lr=0.01), "epsilon": dict(lr=0.01, betas=(0.5, 0.9), eps=1e-3)}
    for key, options in settings.items():
        weights = {name: torch.tensor(value, requires_grad=True) for name, value in start.items()}
        optimizer = torch.optim.Adam(list(weights.values()), **options)
        for step, grads in enumerate(gradients):
            for name, w in weights.items():
                w.grad = torch.tensor(grads[name])
            optimizer.step()
            tensors.update({f"{key}/step{step + 1}/{name}": w.detach().numpy().copy() for name, w in weights.items()})
        for name, w in weights.items():
            tensors[f"{key}/m/{name}"] = optimizer.state[w]["exp_avg"].numpy().copy()
            tensors[f"{key}/v/{name}"] = optimizer.state[w]["exp_avg_sq"].numpy().copy()
    metadata = {"steps": len(gradients), "settings": json.dumps(settings), "torch": torch.__version__,
                "generator": "tools/golden/make_fixtures.py"}
    OUT.mkdir(parents=True, exist_ok=True)
    write_safetensors(OUT / "adam.safetensors", tensors, metadata)
    print(f"adam -> {OUT / 'adam.safetensors'}")


if __name__ == "__main__":
    torch.manual_seed(0)
    run("lstm", np.random.default_rng(1))
    run("gru", np.random.default_rng(2))
    for seed, kind in enumerate(("dot", "general", "additive")):
        attention(kind, np.random.default_rng(10 + seed))
        attention_decoder(kind, np.random.default_rng(20 + seed))
    smoothed_cross_entropy(np.random.default_rng(30))
    adam(np.random.default_rng(40))
