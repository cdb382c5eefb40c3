#!/usr/bin/python3
"""The seed's model in PyTorch, timed the way `seq2seq bench` times the Java one.

The Keras "ten-minute introduction to sequence-to-sequence learning" (lstm_seq2seq.py) ported
faithfully: the first 10,000 pairs, characters one-hot encoded and padded with spaces to the
longest sentence (encoder 16 steps, decoder 59), an LSTM encoder whose final (h, c) starts an LSTM
decoder, Dense + softmax, categorical cross-entropy averaged over every position, RMSprop
(lr 0.001, rho 0.9, epsilon 1e-7), batch 64, the last 20% held out. It prints:

  training: samples/s and seconds per epoch (8,000 pairs), measured over --batches batches
            after as many for warm-up, and one whole epoch;
  decoding: greedy, and beam search of width --beam (the same fixed steps, K hypotheses per
            sentence, the best K of K x V chosen and the state gathered by parent at every step, as
            `seq2seq bench` times it), ms per sentence with batch 1 and sentences/s with batch 64,
            each pass over the sentences repeated for at least a second;
  peak resident set size.

With --loss-epochs N it trains instead, for each seed of --seeds, N whole epochs (shuffled each
epoch) and prints each epoch's training and validation loss in Keras's units (cross-entropy
averaged over every decoder position, padding included), then their mean over the seeds. It also
prints the validation loss in the units of `seq2seq train --padding keras`, which has one decoder
position fewer: Keras's sequences are "\t" + text + "\n", so its last position always reads
"\n" and predicts padding, a position `seq2seq` does not make (its decoder input is START and the
text, its target the text and END). The mean over the first max_decoder - 1 positions is the
Java figure's. --init keras initialises the weights as Keras does (glorot
uniform kernels, orthogonal recurrent kernels, zero biases but 1 for the LSTM's forget gate)
instead of PyTorch's defaults (uniform in +-1/sqrt(H) for all), and --pad class pads with a class
of its own, as `seq2seq` does, instead of the seed's space character.

With --attention general the model is `seq2seq --attention general`'s instead (AttentionSeq2Seq:
Luong's global attention with input feeding, the decoder one step at a time), timed and trained
the same way.

Run it with Debian's python3-torch, with OpenBLAS (libopenblas0-pthread) installed, and with
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset if the machine sets them (they force slower kernels):

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 tools/pytorch/seq2seq_reference.py

Data: translator/src/main/resources/data/fra-eng-10k.txt (Tatoeba via manythings.org, CC-BY 2.0 FR).
"""
import argparse
import resource
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "translator" / "src" / "main" / "resources" / "data" / "fra-eng-10k.txt"


def load(path, samples):
    pairs = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        parts = line.split("\t")
        if len(parts) >= 2:
            pairs.append((parts[0], "\t" + parts[1] + "\n"))
        if len(pairs) == samples:
            break
    return pairs


PAD = "<pad>"


def encode(pairs, pad=" "):
    """One-hot tensors as the seed builds them; `pad` is what fills each sentence to the longest:
    the space (Keras's seed) or PAD, a class of its own (as `seq2seq` pads)."""
    input_chars = sorted({c for source, _ in pairs for c in source} | {" "}) + ([PAD] if pad == PAD else [])
    target_chars = sorted({c for _, target in pairs for c in target} | {" "}) + ([PAD] if pad == PAD else [])
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
        encoder_input[i, len(source):, input_index[pad]] = 1
        for t, c in enumerate(target):
            decoder_input[i, t, target_index[c]] = 1
            if t > 0:
                decoder_target[i, t - 1] = target_index[c]
        decoder_input[i, len(target):, target_index[pad]] = 1
        decoder_target[i, len(target) - 1:] = target_index[pad]
    return encoder_input, decoder_input, decoder_target, target_index, max_decoder


class Seq2Seq(torch.nn.Module):
    """The seed's model: the encoder's final (h, c) starts the decoder, Dense on every output."""

    def __init__(self, inputs, targets, latent):
        super().__init__()
        self.encoder = torch.nn.LSTM(inputs, latent, batch_first=True)
        self.decoder = torch.nn.LSTM(targets, latent, batch_first=True)
        self.dense = torch.nn.Linear(latent, targets)

    def forward(self, encoder_input, decoder_input):
        _, state = self.encoder(encoder_input)
        outputs, _ = self.decoder(decoder_input, state)
        return self.dense(outputs)

    # One decoder step at a time, for decoding: a state is (h, c), each [1, B, H].

    def begin(self, encoder_input):
        return self.encoder(encoder_input)[1]

    def advance(self, token, state):
        """token [B, V] one-hot -> logits [B, V], the next state."""
        output, state = self.decoder(token.unsqueeze(1), state)
        return self.dense(output[:, -1]), state

    def select(self, state, parents):
        h, c = state
        return h.index_select(1, parents), c.index_select(1, parents)


class AttentionSeq2Seq(torch.nn.Module):
    """`seq2seq train --attention general`: Luong's global attention with input feeding.

        h_t, c_t = LSTMCell([y_{t-1} ; h~_{t-1}], (h_{t-1}, c_{t-1}))    h~_0 = 0
        e_ts     = (h_t W_a) . h_s          over every source position (Keras padding masks none)
        a_t      = softmax_s(e_t);  c_t = sum_s a_ts h_s
        h~_t     = tanh([c_t ; h_t] W_c)    no bias
        logits   = Dense(h~_t)

    The decoder runs one step at a time (step t's input needs h~_{t-1}), as ours does."""

    def __init__(self, inputs, targets, latent):
        super().__init__()
        self.latent = latent
        self.encoder = torch.nn.LSTM(inputs, latent, batch_first=True)
        self.decoder = torch.nn.LSTMCell(targets + latent, latent)
        self.score = torch.nn.Linear(latent, latent, bias=False)
        self.combine = torch.nn.Linear(2 * latent, latent, bias=False)
        self.dense = torch.nn.Linear(latent, targets)

    def forward(self, encoder_input, decoder_input):
        state = self.begin(encoder_input)
        attentional = []
        for t in range(decoder_input.shape[1]):
            state = self.attend(decoder_input[:, t], state)
            attentional.append(state[2])
        return self.dense(torch.stack(attentional, 1))

    def attend(self, token, state):
        """One step: token [B, V] one-hot, state (h, c, h~, memory [B, S, H]) -> the next state."""
        h, c, feed, memory = state
        h, c = self.decoder(torch.cat([token, feed], 1), (h, c))
        scores = torch.bmm(memory, self.score(h).unsqueeze(2)).squeeze(2)  # [B, S]
        weights = torch.softmax(scores, dim=-1)
        context = torch.bmm(weights.unsqueeze(1), memory).squeeze(1)  # [B, H]
        feed = torch.tanh(self.combine(torch.cat([context, h], 1)))
        return h, c, feed, memory

    def begin(self, encoder_input):
        memory, (h, c) = self.encoder(encoder_input)
        return h[0], c[0], torch.zeros(encoder_input.shape[0], self.latent), memory

    def advance(self, token, state):
        state = self.attend(token, state)
        return self.dense(state[2]), state

    def select(self, state, parents):
        h, c, feed, memory = state
        # a beam's rows keep their sentence: the memory changes rows only when one row becomes `beam`
        if memory.shape[0] != parents.shape[0]:
            memory = memory.index_select(0, parents)
        return h.index_select(0, parents), c.index_select(0, parents), feed.index_select(0, parents), memory


def keras_init(model):
    """Keras's initialisers: glorot uniform kernels, orthogonal recurrent kernels, zero biases with
    the forget gate's at 1 (unit_forget_bias). PyTorch's LSTM has two biases; one carries it all.
    The attention's W_a and W_c are glorot uniform, as ours."""
    recurrent = [(model.encoder.weight_ih_l0, model.encoder.weight_hh_l0, model.encoder.bias_ih_l0,
                  model.encoder.bias_hh_l0, model.encoder.hidden_size)]
    if isinstance(model.decoder, torch.nn.LSTMCell):
        recurrent.append((model.decoder.weight_ih, model.decoder.weight_hh, model.decoder.bias_ih,
                          model.decoder.bias_hh, model.decoder.hidden_size))
    else:
        recurrent.append((model.decoder.weight_ih_l0, model.decoder.weight_hh_l0, model.decoder.bias_ih_l0,
                          model.decoder.bias_hh_l0, model.decoder.hidden_size))
    with torch.no_grad():
        for weight_ih, weight_hh, bias_ih, bias_hh, hidden in recurrent:
            # PyTorch stores W_ih as [4H, in] with gates i, f, g, o; glorot's limit is symmetric in the axes
            torch.nn.init.xavier_uniform_(weight_ih)
            for gate in range(4):
                torch.nn.init.orthogonal_(weight_hh[gate * hidden:(gate + 1) * hidden])
            bias_ih.zero_()
            bias_hh.zero_()
            bias_ih[hidden:2 * hidden] = 1
        for attention_kernel in ("score", "combine"):
            if hasattr(model, attention_kernel):
                torch.nn.init.xavier_uniform_(getattr(model, attention_kernel).weight)
    torch.nn.init.xavier_uniform_(model.dense.weight)
    torch.nn.init.zeros_(model.dense.bias)


def batch_loss(model, data, chosen):
    encoder_input, decoder_input, decoder_target = data
    logits = model(encoder_input[chosen], decoder_input[chosen])
    return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), decoder_target[chosen].reshape(-1))


def train_batches(model, optimizer, data, indices, batch):
    """Trains on the batches of indices; returns the mean batch loss (Keras's epoch loss)."""
    total, count = 0.0, 0
    for start in range(0, len(indices), batch):
        chosen = indices[start:start + batch]
        optimizer.zero_grad()
        loss = batch_loss(model, data, chosen)
        loss.backward()
        optimizer.step()
        total, count = total + loss.item(), count + 1
    return total / max(count, 1)


@torch.no_grad()
def validation_loss(model, data, indices, batch=256):
    """The mean over every position (Keras's units) and over all but the last (seq2seq's units)."""
    encoder_input, decoder_input, decoder_target = data
    every, all_but_last = 0.0, 0.0
    for start in range(0, len(indices), batch):
        chosen = indices[start:start + batch]
        logits = model(encoder_input[chosen], decoder_input[chosen])
        losses = torch.nn.functional.cross_entropy(logits.transpose(1, 2), decoder_target[chosen], reduction="none")
        every += losses.mean().item() * len(chosen)
        all_but_last += losses[:, :-1].mean().item() * len(chosen)
    return every / len(indices), all_but_last / len(indices)


def loss_curves(args, data, sizes, trained, total):
    """Per-epoch losses for each seed, and their mean: the parity check against the Java model."""
    inputs, targets = sizes
    curves, java_units = [], []
    for seed in args.seeds:
        torch.manual_seed(seed)
        model = model_class(args)(inputs, targets, 256)
        if args.init == "keras":
            keras_init(model)
        optimizer = torch.optim.RMSprop(model.parameters(), lr=0.001, alpha=0.9, eps=1e-7)
        curve, curve_java = [], []
        for epoch in range(1, args.loss_epochs + 1):
            train = train_batches(model, optimizer, data, torch.randperm(trained), 64)
            validation, validation_java = validation_loss(model, data, torch.arange(trained, total))
            curve.append(validation)
            curve_java.append(validation_java)
            print(f"seed {seed} epoch {epoch}: loss {train:.4f}  val_loss {validation:.4f}  "
                  f"(without the last position, as seq2seq counts: {validation_java:.4f})", flush=True)
        curves.append(curve)
        java_units.append(curve_java)
    for name, runs in (("Keras's units", curves), ("seq2seq's units", java_units)):
        means = [sum(c[e] for c in runs) / len(runs) for e in range(args.loss_epochs)]
        print(f"{args.init} initialisation, padding {args.pad}, mean val_loss over seeds {args.seeds} by epoch, {name}: "
              + " ".join(f"{m:.4f}" for m in means))


def timed(decoding, least=1.0):
    """Seconds per pass of decoding(): passes repeated until `least` seconds have gone by (one at
    least), their mean, as `seq2seq bench` times its decodings. One pass of 200 sentences at batch
    64 lasts about a tenth of a second here, and a third of that on the Java side."""
    passes = 0
    began = time.perf_counter()
    while True:
        decoding()
        passes += 1
        elapsed = time.perf_counter() - began
        if elapsed >= least:
            return elapsed / passes


@torch.no_grad()
def decode(model, encoder_input, start_index, steps):
    vocabulary = model.dense.out_features
    state = model.begin(encoder_input)
    token = torch.zeros(encoder_input.shape[0], vocabulary)
    token[:, start_index] = 1
    for _ in range(steps):
        logits, state = model.advance(token, state)
        token = torch.nn.functional.one_hot(logits.argmax(-1), vocabulary).float()


@torch.no_grad()
def beam_decode(model, encoder_input, start_index, steps, beam):
    """Beam search for a fixed number of steps (no hypothesis ends): each sentence starts as one row
    and keeps `beam` rows; every step scores all rows at once, picks the best `beam` of beam x V
    continuations per sentence and gathers the state by parent row."""
    sentences = encoder_input.shape[0]
    vocabulary = model.dense.out_features
    state = model.begin(encoder_input)
    tokens = torch.full((sentences,), start_index, dtype=torch.long)
    scores = torch.zeros(sentences, 1)
    for _ in range(steps):
        rows_per_sentence = scores.shape[1]
        logits, state = model.advance(torch.nn.functional.one_hot(tokens, vocabulary).float(), state)
        log_probabilities = torch.log_softmax(logits, dim=-1)  # [rows, V]
        candidates = (scores.reshape(-1, 1) + log_probabilities).reshape(sentences, rows_per_sentence * vocabulary)
        scores, flat = candidates.topk(beam, dim=-1)  # [sentences, beam]
        parents = (flat // vocabulary + torch.arange(sentences).unsqueeze(1) * rows_per_sentence).reshape(-1)
        tokens = (flat % vocabulary).reshape(-1)
        state = model.select(state, parents)
    return scores


def model_class(args):
    return AttentionSeq2Seq if args.attention == "general" else Seq2Seq


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
    parser.add_argument("--beam", type=int, default=5, help="beam width timed after greedy decoding (1: none)")
    parser.add_argument("--loss-epochs", type=int, default=0, help="train this many epochs per seed, print the losses")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--init", choices=["pytorch", "keras"], default="pytorch")
    parser.add_argument("--pad", choices=["space", "class"], default="space",
                        help="pad with the space character (the seed) or a padding class of its own (as seq2seq)")
    parser.add_argument("--attention", choices=["none", "general"], default="none",
                        help="the seed's model, or Luong's general attention with input feeding "
                             "(as seq2seq's --attention general)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    pairs = load(args.data, 10_000)
    encoder_input, decoder_input, decoder_target, target_index, max_decoder = encode(
        pairs, " " if args.pad == "space" else PAD)
    trained = int(len(pairs) * 0.8)
    model = model_class(args)(encoder_input.shape[2], decoder_input.shape[2], 256)
    optimizer = torch.optim.RMSprop(model.parameters(), lr=0.001, alpha=0.9, eps=1e-7)
    data = (encoder_input, decoder_input, decoder_target)
    if args.loss_epochs > 0:
        loss_curves(args, data, (encoder_input.shape[2], decoder_input.shape[2]), trained, len(pairs))
        return
    order = torch.randperm(trained)
    print(f"PyTorch {torch.__version__}, {args.threads} OpenMP thread(s) + the BLAS's own; "
          f"{trained} training pairs, batch 64, latent 256, encoder {encoder_input.shape[1]} steps, "
          f"decoder {max_decoder} steps (Keras padding)"
          + (", general attention with input feeding" if args.attention == "general" else ""))

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
    single = timed(lambda: [decode(model, sources[i:i + 1], start, max_decoder)
                            for i in range(sources.shape[0])]) * 1000 / sources.shape[0]
    batched = sources.shape[0] / timed(lambda: [decode(model, sources[i:i + 64], start, max_decoder)
                                                for i in range(0, sources.shape[0], 64)])
    print(f"decoding (greedy, {max_decoder} steps per sentence): batch 1 {single:.3f} ms per sentence "
          f"({1000 / single:.0f} sentences/s); batch 64 {batched:.0f} sentences/s")
    if args.beam > 1:
        beam_decode(model, sources[:4], start, max_decoder, args.beam)
        single = timed(lambda: [beam_decode(model, sources[i:i + 1], start, max_decoder, args.beam)
                                for i in range(sources.shape[0])]) * 1000 / sources.shape[0]
        batched = sources.shape[0] / timed(lambda: [beam_decode(model, sources[i:i + 64], start, max_decoder, args.beam)
                                                    for i in range(0, sources.shape[0], 64)])
        print(f"decoding (beam {args.beam}, {max_decoder} steps per sentence): batch 1 {single:.3f} ms per sentence "
              f"({1000 / single:.0f} sentences/s); batch 64 {batched:.0f} sentences/s")
    print(f"peak memory: resident set {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")


if __name__ == "__main__":
    main()
