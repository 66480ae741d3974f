"""PyTorch side of lessons/rnn's BenchmarkTrainStep: the same model, batch and
optimizer, timed the same way (one training step = forward, backward, Adam).

    python3 -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch
    BAEUM_DATA=../shared/data /tmp/torchvenv/bin/python bench/pytorch_lstm.py

Model: Embedding(vocab, 256) - LSTM(128) - Linear(vocab), the next character's
cross-entropy at every position, Adam at 5e-3, 128 windows of 32 characters
(rnn.DefaultConfig). Reads tinyshakespeare from $BAEUM_DATA if it is there,
otherwise uses random ids over 65 characters (the speed is the same).
"""

import os
import time

import torch
from torch import nn

BATCH, SEQ, EMBED, HIDDEN = 128, 32, 256, 128
WARMUP, STEPS = 5, 50


def load_ids():
    path = os.path.join(os.environ.get("BAEUM_DATA", ""), "tinyshakespeare", "input.txt")
    if os.path.exists(path):
        text = open(path, encoding="utf-8").read()
        chars = sorted(set(text))
        index = {ch: i for i, ch in enumerate(chars)}
        return torch.tensor([index[ch] for ch in text]), len(chars) + 1  # +1: lessons/rnn's [UNK]
    print(f"no {path}: random ids")
    return torch.randint(0, 65, (1_000_000,)), 66


class CharLSTM(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.embedding = nn.Embedding(vocab, EMBED)
        self.lstm = nn.LSTM(EMBED, HIDDEN, batch_first=True)
        self.output = nn.Linear(HIDDEN, vocab)

    def forward(self, tokens):  # tokens (B, T)
        x = self.embedding(tokens)  # (B, T, 256)
        h, _ = self.lstm(x)  # (B, T, 128)
        return self.output(h)  # (B, T, vocab)


def main():
    torch.manual_seed(1)
    ids, vocab = load_ids()
    model = CharLSTM(vocab)
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        start = torch.randint(0, len(ids) - SEQ - 1, (BATCH,))
        window = torch.stack([ids[s : s + SEQ + 1] for s in start.tolist()])
        x, y = window[:, :-1], window[:, 1:]
        loss = loss_fn(model(x).reshape(-1, vocab), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(WARMUP):
        step()
    t0 = time.perf_counter()
    for _ in range(STEPS):
        loss = step()
    sec = time.perf_counter() - t0
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, vocab {vocab}: "
          f"{STEPS / sec:.2f} steps/s, {STEPS * BATCH * SEQ / sec:.0f} tokens/s (last loss {loss:.3f})")


if __name__ == "__main__":
    main()
