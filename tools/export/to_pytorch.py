#!/usr/bin/python3
"""Loads a seq2seq-java checkpoint into the same encoder-decoder written in PyTorch, and translates
with it by greedy decoding, exactly as `seq2seq translate` does.

It needs nothing from the Java code: the checkpoint's metadata says what the model is (config),
what the reserved ids are (vocabulary), and the tensors are plain little-endian float32 in the
safetensors layout. The weights keep Keras's layout in the file; this script converts them:

  Java / Keras tensor                          PyTorch
  {encoder,decoder}/{lstm,gru}/kernel [in, G*H]     weight_ih_l0 = kernel.T            [G*H, in]
  {encoder,decoder}/{lstm,gru}/recurrent_kernel      weight_hh_l0 = recurrent_kernel.T  [G*H, H]
  {encoder,decoder}/lstm/bias [4H]                  bias_ih_l0 = bias, bias_hh_l0 = 0
  {encoder,decoder}/gru/bias [2, 3H]                bias_ih_l0 = bias[0], bias_hh_l0 = bias[1]
  {encoder,decoder}/embedding/embeddings [V, H]     nn.Embedding.weight
  decoder/dense/kernel [H, V], bias [V]             nn.Linear.weight = kernel.T, bias

Gate order: the LSTM's i, f, c, o is PyTorch's i, f, g, o (the same). The GRU's blocks are Keras's
z, r, h, and PyTorch's r, z, n: the first two blocks swap (on weights and both bias rows).

Run with Debian's python3-torch:
    /usr/bin/python3 tools/export/to_pytorch.py seq2seq.safetensors "Go." "I won!"
or with sentences one per line on standard input.
"""
import json
import re
import struct
import sys

import numpy as np
import torch


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} is {entry['dtype']}, expected F32")
        tensors[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(entry["shape"]).copy()
    return metadata, tensors


def gru_blocks_to_torch(array, hidden):
    """Along the last axis: Keras z, r, h -> PyTorch r, z, n."""
    z, r, h = (array[..., i * hidden:(i + 1) * hidden] for i in range(3))
    return np.concatenate([r, z, h], axis=-1)


class Seq2Seq(torch.nn.Module):
    """The seed's model: encoder RNN -> final state -> decoder RNN -> Dense over target tokens."""

    def __init__(self, config, tensors):
        super().__init__()
        self.config = config
        cell, hidden = config["cell"].lower(), config["latent"]
        self.words = config["level"].upper() == "WORD"
        self.reserved = 4
        source_size = len(config["sourceTokens"]) + self.reserved
        target_size = len(config["targetTokens"]) + self.reserved
        rnn = torch.nn.LSTM if cell == "lstm" else torch.nn.GRU
        self.source_size, self.target_size = source_size, target_size
        if self.words:
            self.source_embedding = torch.nn.Embedding(source_size, hidden)
            self.target_embedding = torch.nn.Embedding(target_size, hidden)
            self.source_embedding.weight.data = torch.from_numpy(tensors["encoder/embedding/embeddings"])
            self.target_embedding.weight.data = torch.from_numpy(tensors["decoder/embedding/embeddings"])
        self.encoder = rnn(hidden if self.words else source_size, hidden)
        self.decoder = rnn(hidden if self.words else target_size, hidden)
        for name, layer in (("encoder", self.encoder), ("decoder", self.decoder)):
            prefix = f"{name}/{cell}/"
            kernel, recurrent = tensors[prefix + "kernel"], tensors[prefix + "recurrent_kernel"]
            bias = tensors[prefix + "bias"]
            if cell == "gru":
                kernel, recurrent = gru_blocks_to_torch(kernel, hidden), gru_blocks_to_torch(recurrent, hidden)
                bias_ih, bias_hh = gru_blocks_to_torch(bias[0], hidden), gru_blocks_to_torch(bias[1], hidden)
            else:
                bias_ih, bias_hh = bias, np.zeros_like(bias)
            layer.weight_ih_l0.data = torch.from_numpy(np.ascontiguousarray(kernel.T))
            layer.weight_hh_l0.data = torch.from_numpy(np.ascontiguousarray(recurrent.T))
            layer.bias_ih_l0.data = torch.from_numpy(np.ascontiguousarray(bias_ih))
            layer.bias_hh_l0.data = torch.from_numpy(np.ascontiguousarray(bias_hh))
        self.dense = torch.nn.Linear(hidden, target_size)
        self.dense.weight.data = torch.from_numpy(np.ascontiguousarray(tensors["decoder/dense/kernel"].T))
        self.dense.bias.data = torch.from_numpy(tensors["decoder/dense/bias"])

    def inputs(self, ids, embedding, size):
        ids = torch.tensor(ids, dtype=torch.long)
        if self.words:
            return embedding(ids).unsqueeze(1)  # [T, 1, H]
        return torch.nn.functional.one_hot(ids, size).float().unsqueeze(1)  # [T, 1, V]

    @torch.no_grad()
    def translate(self, source_ids, max_length, start, end):
        if self.config["padding"].upper() == "KERAS":  # the encoder read padding up to the longest source
            source_ids = source_ids + [0] * (self.config["maxSourceLength"] - len(source_ids))
        embedding = self.source_embedding if self.words else None
        _, state = self.encoder(self.inputs(source_ids, embedding, self.source_size))
        embedding = self.target_embedding if self.words else None
        token, output = start, []
        for _ in range(max_length):
            out, state = self.decoder(self.inputs([token], embedding, self.target_size), state)
            scores = self.dense(out[0, 0])
            # Only the end marker or a data token may be emitted (never padding, start, unknown).
            candidates = [end] + list(range(self.reserved, self.target_size))
            token = candidates[int(torch.argmax(scores[candidates]))]
            if token == end:
                break
            output.append(token)
        return output


# The Java word tokenizers (data/Words.java) in Python's re. WHOLE: a run of letters and digits
# with inner apostrophes or hyphens, or one other visible character. SPLIT: an apostrophe between
# letters ends a word ("J'", "ai") and a hyphen between letters starts one ("Aidez", "-nous").
WORDS = {
    "WHOLE": re.compile(r"[^\W_]+(?:['’-][^\W_]+)*|[^\s]"),
    "SPLIT": re.compile(r"(?:(?<=[^\W_])-)?[^\W_]+(?:['’](?=[^\W_]))?|[^\s]"),
}


def tokens(sentence, words, rule="WHOLE"):
    return WORDS[rule].findall(sentence) if words else list(sentence)


def join(pieces, words, rule="WHOLE"):
    if not words:
        return "".join(pieces)
    text = ""
    glue_next = False
    for piece in pieces:
        closing = piece in (".", ",", ")")
        glue_before = rule == "SPLIT" and len(piece) > 1 and piece[0] == "-" and piece[1].isalnum()
        text += ("" if not text or closing or glue_before or glue_next else " ") + piece
        glue_next = rule == "SPLIT" and len(piece) > 1 and piece[-1] in "'’"
    return text


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) >= 2 else 2
    metadata, tensors = read_safetensors(argv[1])
    if "average" in metadata:
        # a resumable checkpoint of a run that averages its weights: translate with the averages
        tensors = {name[:-len("/average")]: value for name, value in tensors.items() if name.endswith("/average")}
    config = json.loads(metadata["config"])
    vocabulary = json.loads(metadata["vocabulary"]) if "vocabulary" in metadata else {
        "pad": 0, "start": 1, "end": 2, "unknown": 3}
    model = Seq2Seq(config, tensors)
    words = model.words
    rule = config.get("words", "WHOLE")  # absent from checkpoints older than the choice
    source_ids = {token: i + 4 for i, token in enumerate(config["sourceTokens"])}
    target_tokens = ["<pad>", "\t", "\n", "<unk>"] + config["targetTokens"]
    longest = config["maxTargetLength"]
    max_length = min(1000, longest + 1 + max(2, longest // 4))  # Translator.defaultMaxLength
    sentences = argv[2:] if len(argv) > 2 else [line.rstrip("\n") for line in sys.stdin]
    for sentence in sentences:
        text = sentence.strip()
        if not text:
            print(f"{sentence}  ->  " if len(argv) > 2 else "")
            continue
        ids = [source_ids.get(t, vocabulary["unknown"]) for t in tokens(text, words, rule)]
        output = join([target_tokens[i] for i in model.translate(ids, max_length, vocabulary["start"],
                                                                  vocabulary["end"])], words, rule)
        print(f"{sentence}  ->  {output}" if len(argv) > 2 else output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
