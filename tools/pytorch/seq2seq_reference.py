#!/usr/bin/python3
"""The seed's model in PyTorch, timed the way `seq2seq bench` times the Java one.

The Keras "ten-minute introduction to sequence-to-sequence learning" (lstm_seq2seq.py) ported
faithfully: the first 10,000 pairs, characters one-hot encoded and padded with spaces to the
longest sentence (encoder 16 steps, decoder 59), an LSTM encoder whose final (h, c) starts an LSTM
decoder, Dense + softmax, categorical cross-entropy averaged over every position, RMSprop
(lr 0.001, rho 0.9, epsilon 1e-7), batch 64, the last 20% held out. It prints:

  training: samples/s and seconds per epoch (8,000 pairs), measured over --batches batches
            after as many for warm-up, and one whole epoch;
  decoding: greedy, ms per sentence with batch 1 and sentences/s with batch 64;
  peak resident set size.

Run it with Debian's python3-torch, with OpenBLAS (libopenblas0-pthread) installed, and with
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset if the machine sets them (they force slower kernels):

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 tools/pytorch/seq2seq_reference.py

Data: seq2seq-app/src/main/resources/data/fra-eng-10k.txt (Tatoeba via manythings.org, CC-BY 2.0 FR).
"""
import argparse
import resource
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "seq2seq-app" / "src" / "main" / "resources" / "data" / "fra-eng-10k.txt"


def load(path, samples):
    pairs = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        parts = line.split("\t")
        if len(parts) >= 2:
            pairs.append((parts[0], "\t" + parts[1] + "\n"))
        if len(pairs) == samples:
            break
    return pairs


def encode(pairs):
    input_chars = sorted({c for source, _ in pairs for c in source} | {" "})
    target_chars = sorted({c for _, target in pairs for c in target} | {" "})
    input_index = {c: i for i, c in enumerate(input_chars)}
    target_index = {c: i for i, c in enumerate(target_chars)}
    max_encoder = max(len(s) for s, _ in pairs)
    max_decoder = max(len(t) for _, t in pairs)
    n = len(pairs)
    encoder_input = torch.zeros(n, max_encoder, len(input_chars))
    decoder_input = torch.zeros(n, max_decoder, len(target_chars))
    decoder_target = torch.zeros(n, max_decoder, dtype=torch.long)
    for i, (source, target) in enumerate(pairs):
        for t, c in enumerate(source):
            encoder_input[i, t, input_index[c]] = 1
        encoder_input[i, len(source):, input_index[" "]] = 1
        for t, c in enumerate(target):
            decoder_input[i, t, target_index[c]] = 1
            if t > 0:
                decoder_target[i, t - 1] = target_index[c]
        decoder_input[i, len(target):, target_index[" "]] = 1
        decoder_target[i, len(target) - 1:] = target_index[" "]
    return encoder_input, decoder_input, decoder_target, target_index, max_decoder


class Seq2Seq(torch.nn.Module):
    def __init__(self, inputs, targets, latent):
        super().__init__()
        self.encoder = torch.nn.LSTM(inputs, latent, batch_first=True)
        self.decoder = torch.nn.LSTM(targets, latent, batch_first=True)
        self.dense = torch.nn.Linear(latent, targets)

    def forward(self, encoder_input, decoder_input):
        _, state = self.encoder(encoder_input)
        outputs, _ = self.decoder(decoder_input, state)
        return self.dense(outputs)


def train_batches(model, optimizer, data, indices, batch):
    encoder_input, decoder_input, decoder_target = data
    for start in range(0, len(indices), batch):
        chosen = indices[start:start + batch]
        optimizer.zero_grad()
        logits = model(encoder_input[chosen], decoder_input[chosen])
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), decoder_target[chosen].reshape(-1))
        loss.backward()
        optimizer.step()


@torch.no_grad()
def decode(model, encoder_input, start_index, steps):
    _, state = model.encoder(encoder_input)
    token = torch.zeros(encoder_input.shape[0], 1, model.decoder.input_size)
    token[:, 0, start_index] = 1
    for _ in range(steps):
        output, state = model.decoder(token, state)
        best = model.dense(output[:, -1]).argmax(-1)
        token = torch.nn.functional.one_hot(best, model.decoder.input_size).float().unsqueeze(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    # PyTorch's own (OpenMP) threads. OpenBLAS runs its own pool over all cores besides; on a 2-core
    # machine 1 OpenMP thread + OpenBLAS's 2 is the fastest setting measured (2 + 2 oversubscribes
    # the cores and is several times slower).
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batches", type=int, default=40)
    parser.add_argument("--sentences", type=int, default=200)
    parser.add_argument("--full-epoch", action="store_true", help="also time one whole epoch")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    pairs = load(args.data, 10_000)
    encoder_input, decoder_input, decoder_target, target_index, max_decoder = encode(pairs)
    trained = int(len(pairs) * 0.8)
    model = Seq2Seq(encoder_input.shape[2], decoder_input.shape[2], 256)
    optimizer = torch.optim.RMSprop(model.parameters(), lr=0.001, alpha=0.9, eps=1e-7)
    data = (encoder_input, decoder_input, decoder_target)
    order = torch.randperm(trained)
    print(f"PyTorch {torch.__version__}, {args.threads} OpenMP thread(s) + the BLAS's own; "
          f"{trained} training pairs, batch 64, latent 256, encoder {encoder_input.shape[1]} steps, "
          f"decoder {max_decoder} steps (Keras padding)")

    train_batches(model, optimizer, data, order[:64 * args.batches], 64)  # warm-up
    began = time.perf_counter()
    train_batches(model, optimizer, data, order[:64 * args.batches], 64)
    per_second = 64 * args.batches / (time.perf_counter() - began)
    print(f"keras  training: {per_second:.0f} samples/s, {trained / per_second:.2f} s per epoch of {trained} pairs (projected)")
    if args.full_epoch:
        began = time.perf_counter()
        train_batches(model, optimizer, data, torch.randperm(trained), 64)
        print(f"keras  training: one whole epoch in {time.perf_counter() - began:.2f} s")

    sources = encoder_input[trained:trained + args.sentences]
    start = target_index["\t"]
    decode(model, sources[:4], start, max_decoder)
    began = time.perf_counter()
    for i in range(sources.shape[0]):
        decode(model, sources[i:i + 1], start, max_decoder)
    single = (time.perf_counter() - began) * 1000 / sources.shape[0]
    began = time.perf_counter()
    for i in range(0, sources.shape[0], 64):
        decode(model, sources[i:i + 64], start, max_decoder)
    batched = sources.shape[0] / (time.perf_counter() - began)
    print(f"decoding (greedy, {max_decoder} steps per sentence): batch 1 {single:.3f} ms per sentence "
          f"({1000 / single:.0f} sentences/s); batch 64 {batched:.0f} sentences/s")
    print(f"peak memory: resident set {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")


if __name__ == "__main__":
    main()
