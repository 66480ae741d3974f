#!/usr/bin/env python3
"""PyTorch side of mlx's BenchmarkMatMul: one matrix product at the shapes
of lesson 07's GPT (768 tokens, 128 wide, MLP 512), in GFLOP/s.

    /tmp/torchvenv/bin/python bench/pytorch_matmul.py
"""
import time

import torch

SHAPES = [(768, 128, 128), (768, 128, 512), (768, 512, 128), (128, 768, 128), (128, 768, 512)]


def main():
    torch.set_num_threads(min(2, torch.get_num_threads()))
    for m, k, n in SHAPES:
        a, w = torch.randn(m, k), torch.randn(k, n)
        for _ in range(50):  # warm up
            a @ w
        count = 2000
        start = time.perf_counter()
        for _ in range(count):
            a @ w
        sec = time.perf_counter() - start
        print(f"{m}x{k}x{n}: {count * 2 * m * k * n / sec / 1e9:.1f} GFLOP/s")
    print(f"pytorch {torch.__version__}, {torch.get_num_threads()} threads")


if __name__ == "__main__":
    main()
