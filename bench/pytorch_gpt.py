#!/usr/bin/env python3
"""Lesson 07's GPT in PyTorch on the CPU: the steps/s to compare with
`go test -bench GPTTrainStep ./lessons/pretrain`.

The model and the training step are those of pretrain.NanoGPTConfig, written
here from the lesson's description (not copied from nanoGPT): 4 pre-LN blocks,
4 heads, 128 wide, context 64, learned positions, biases everywhere, exact GELU,
token embedding tied to the output layer (plus an output bias), weights
~ N(0, 0.02²); cross-entropy on every next character; AdamW (β = 0.9, 0.99,
ε = 1e-8, weight decay 0.1 on matrices only), gradients clipped to norm 1,
warm-up then cosine learning rate; batch 12 × 64 random windows of
tinyshakespeare (first 90% to train).

    python3 -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch
    /tmp/torchvenv/bin/python bench/pytorch_gpt.py                 # time 200 steps
    /tmp/torchvenv/bin/python bench/pytorch_gpt.py --steps 2000 --eval  # full run + validation loss

The data file is $BAEUM_DATA/tinyshakespeare/input.txt (or --data).
"""
import argparse
import math
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)  # W_Q, W_K, W_V side by side
        self.out = nn.Linear(dim, dim)
        self.fc, self.proj = nn.Linear(dim, 4 * dim), nn.Linear(4 * dim, dim)

    def attend(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=2)
        q, k, v = (z.view(b, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))  # (b, h, t, hd)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.out(y.transpose(1, 2).reshape(b, t, d))

    def forward(self, x):
        x = x + self.attend(self.ln1(x))
        return x + self.proj(F.gelu(self.fc(self.ln2(x))))


class GPT(nn.Module):
    def __init__(self, vocab, dim=128, heads=4, layers=4, context=64):
        super().__init__()
        self.token, self.position = nn.Embedding(vocab, dim), nn.Embedding(context, dim)
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(layers))
        self.ln = nn.LayerNorm(dim)
        self.bias = nn.Parameter(torch.zeros(vocab))
        for p in self.parameters():  # matrices ~ N(0, 0.02²); layer norms keep gain 1, offset 0
            if p.dim() >= 2:
                nn.init.normal_(p, 0.0, 0.02)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    def forward(self, idx):
        t = idx.shape[1]
        x = self.token(idx) + self.position(torch.arange(t))
        for blk in self.blocks:
            x = blk(x)
        return self.ln(x) @ self.token.weight.T + self.bias  # tied output layer


def lr_at(step, peak=2e-3, low=1e-4, warmup=100, steps=2000):
    if step < warmup:
        return low + (peak - low) * step / warmup
    t = min((step - warmup) / (steps - warmup), 1)
    return low + (peak - low) * (1 + math.cos(math.pi * t)) / 2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(os.environ.get("BAEUM_DATA", "../shared/data"), "tinyshakespeare/input.txt"))
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--warmup-steps", type=int, default=10, help="untimed steps first")
    ap.add_argument("--eval", action="store_true", help="train with the 2,000-step schedule, then report the validation loss")
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: PyTorch's default)")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(1337)
    text = open(args.data, encoding="utf-8").read()
    chars = sorted(set(text))
    table = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([table[c] for c in text], dtype=torch.long)
    cut = len(data) * 9 // 10
    train, val = data[:cut], data[cut:]
    batch, context = 12, 64

    def get_batch(split):
        starts = torch.randint(len(split) - context - 1, (batch,))
        x = torch.stack([split[s:s + context] for s in starts])
        y = torch.stack([split[s + 1:s + 1 + context] for s in starts])
        return x, y

    model = GPT(len(chars))
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=2e-3, betas=(0.9, 0.99), eps=1e-8)
    total = args.steps if args.eval else args.steps + args.warmup_steps

    def step(i):
        for g in opt.param_groups:
            g["lr"] = lr_at(i, steps=args.steps if args.eval else 2000)
        x, y = get_batch(train)
        logits = model(x)
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss

    start = None
    for i in range(total):
        if i == (0 if args.eval else args.warmup_steps):
            start = time.perf_counter()
        loss = step(i)
    loss.item()
    sec = time.perf_counter() - start
    n = args.steps
    print(f"pytorch {torch.__version__}, {torch.get_num_threads()} threads, {torch.backends.cpu.get_cpu_capability()}: "
          f"{n} steps in {sec:.1f}s = {n / sec:.2f} steps/s, {n * batch * context / sec:.0f} tokens/s; last loss {loss.item():.4f}")
    if args.eval:
        model.eval()
        torch.manual_seed(1338)
        with torch.no_grad():
            losses = []
            for _ in range(200):
                x, y = get_batch(val)
                logits = model(x)
                losses.append(F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1)).item())
        print(f"validation loss {sum(losses) / len(losses):.4f} nats/char (200 batches)")


if __name__ == "__main__":
    main()
