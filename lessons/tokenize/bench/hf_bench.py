#!/usr/bin/env python3
"""Time the Hugging Face tokenizers library on one thread; compare with main.go.

    RAYON_NUM_THREADS=1 BAEUM_DATA=../shared/data /tmp/tokvenv/bin/python lessons/tokenize/bench/hf_bench.py
    BAEUM_DATA=../shared/data go run ./lessons/tokenize/bench

Both encode the same lines (20,000 Korean reviews and 20,000 lines of
Shakespeare that the reference tokenizers were not trained on) with the same
tokenizer.json, and print MB/s (bytes of text per second, best of 5 runs)
and a checksum of the ids so that you can see they agree.
"""
import os
import sys
import time

if os.environ.get("RAYON_NUM_THREADS") != "1":
    sys.exit("set RAYON_NUM_THREADS=1 so that the library uses one thread")

import tokenizers
from tokenizers import Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("BAEUM_DATA", os.path.join(HERE, "..", "..", "..", "..", "shared", "data"))


def bench_lines():
    """The benchmark text: must match benchLines in main.go."""
    with open(os.path.join(DATA, "nsmc/corpus_ko.txt"), encoding="utf-8") as f:
        ko = f.read().split("\n")[100000:120000]
    with open(os.path.join(DATA, "tinyshakespeare/input.txt"), encoding="utf-8") as f:
        en = f.read().split("\n")[20000:40000]
    return ko + en


def best_of(n, fn):
    best = float("inf")
    for _ in range(n):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else "bytelevel_bpe.json"
    tok = Tokenizer.from_file(os.path.join(HERE, "..", "testdata", name))
    lines = bench_lines()
    mb = sum(len(l.encode()) for l in lines) / 1e6
    print(f"tokenizers {tokenizers.__version__}, {name}, {len(lines)} lines, {mb:.2f} MB, RAYON_NUM_THREADS=1")
    runs = [("encode_batch", lambda: [e.ids for e in tok.encode_batch(lines, add_special_tokens=False)]),
            ("encode per line", lambda: [tok.encode(l, add_special_tokens=False).ids for l in lines])]
    if hasattr(tok, "encode_batch_fast"):
        runs.insert(1, ("encode_batch_fast", lambda: [e.ids for e in tok.encode_batch_fast(lines, add_special_tokens=False)]))
    for label, fn in runs:
        tok = Tokenizer.from_file(os.path.join(HERE, "..", "testdata", name))  # fresh cache for each way
        secs, ids = best_of(5, fn)
        n = sum(len(x) for x in ids)
        checksum = sum(sum(x) for x in ids)
        print(f"hf {label:18s} {mb / secs:7.2f} MB/s  {n} tokens  checksum {checksum}")


if __name__ == "__main__":
    main()
