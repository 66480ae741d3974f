#!/usr/bin/env python3
"""Write batch_reference.json: truncation and padding as the Hugging Face
tokenizers library does them, for the Go tests of lesson 02 (hfbatch.go).

Run from the repository root (see README.md beside this script):

    python3 -m venv /tmp/tokvenv
    /tmp/tokvenv/bin/pip install tokenizers==0.23.3
    /tmp/tokvenv/bin/python lessons/tokenize/testdata/make_batch_reference.py

Each "variant" is a tokenizer.json of testdata (or all-MiniLM-L6-v2's, as
`go run ./kernel setup` installs it under ~/.cache/baeum/models, or
$BAEUM_MODELS) with truncation, padding and sometimes the post-processor
set through the library's own API (enable_truncation, enable_padding,
processors.*). The variant records those three parts as the library writes
them into a tokenizer.json (tok.to_str()), so the Go test puts them into the
base file and loads it with ParseHF. For every text it records encode(text)
(ids, type ids, attention mask, or the library's error) and
encode(text, add_special_tokens=False); for every pair, encode(a, b); and
for the whole list of texts, and of pairs, encode_batch (or its error).
"""
import json
import os
import sys

import tokenizers
from tokenizers import Tokenizer, processors

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.environ.get("BAEUM_MODELS", os.path.join(os.path.expanduser("~"), ".cache", "baeum", "models"))
MINILM = os.path.join(MODELS, "all-minilm-l6-v2", "tokenizer.json")

LONG = ("Debian is a free operating system, developed and maintained by the Debian project. "
        "A Debian system gets its software from packages, which apt downloads from the archive "
        "and dpkg installs, checking every signature on the way. ") * 4
TEXTS = [
    "How do I upgrade to a new Debian release?",
    "ok",
    "",
    "데비안에서 패키지를 설치하려면 어떻게 하나요?",
    "Why does apt say that some packages have been kept back?",
    LONG,  # MiniLM: 194 ids with [CLS] and [SEP], cut by max_length 128, not by 256
    LONG * 2,  # 386 ids, cut by 256 too
    "[CLS] special [SEP] tokens in the text",
]
PAIRS = [
    ["How do I upgrade?", LONG],
    [LONG, "short answer"],
    [LONG, LONG[:200]],
    ["ok", ""],
    ["데비안이 뭐예요?", "Debian is an operating system."],
    ["a b c d e f g h i j k l m n o p", "q r"],
]


def variants():
    """(name, base file, function that changes a freshly loaded tokenizer)."""
    def trunc_pad(trunc=None, pad=None, post=None):
        def setup(tok):
            if post is not None:
                tok.post_processor = post(tok)
            if trunc is not None:
                tok.enable_truncation(**trunc)
            if pad is not None:
                tok.enable_padding(**pad)
        return setup

    wp = "wordpiece_uncased.json"  # [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, pair template $A:0 / $B:1
    bl = "bytelevel_bpe.json"  # no post-processor; <|endoftext|> is 0
    cb = "char_bpe.json"  # no post-processor; BERT's specials
    out = [
        ("wp-longest-multiple", wp, trunc_pad(dict(max_length=12), dict(pad_to_multiple_of=8, pad_id=1, pad_type_id=1, pad_token="[UNK]"))),
        ("wp-left-fixed-stride", wp, trunc_pad(dict(max_length=20, stride=3, direction="left", strategy="only_first"), dict(length=16, direction="left"))),
        ("wp-only-second", wp, trunc_pad(dict(max_length=10, strategy="only_second"), dict())),
        ("wp-left-padding", wp, trunc_pad(dict(max_length=40), dict(pad_to_multiple_of=5, direction="left", pad_type_id=2))),
        # Room for [CLS] [SEP] only. The library does not cut pairs here: 2
        # minus the pair's 3 special tokens wraps around as an unsigned
        # number. Go refuses such pairs, so they are left out (NO_PAIRS).
        ("wp-exact-max", wp, trunc_pad(dict(max_length=2), None)),
        ("bytelevel-plain", bl, trunc_pad(dict(max_length=9), dict(pad_id=0, pad_token="<|endoftext|>"))),
        ("bytelevel-roberta", bl, trunc_pad(dict(max_length=11, direction="left"), dict(length=6),
                                            lambda tok: processors.RobertaProcessing(("<|endoftext|>", 0), ("<|endoftext|>", 0)))),
        ("bytelevel-sequence", bl, trunc_pad(dict(max_length=15), dict(),
                                             lambda tok: processors.Sequence([
                                                 processors.ByteLevel(trim_offsets=False),
                                                 processors.TemplateProcessing(single="<|endoftext|> $A", pair="$A:3 <|endoftext|>:2 $B:7",
                                                                               special_tokens=[("<|endoftext|>", 0)])]))),
        ("char-bert", cb, trunc_pad(dict(max_length=14), dict(pad_to_multiple_of=4),
                                    lambda tok: processors.BertProcessing(("[SEP]", 3), ("[CLS]", 2)))),
    ]
    if os.path.exists(MINILM):
        # As in its tokenizer.json: LongestFirst at 128, Fixed(128) padding.
        out.append(("minilm-file", MINILM, trunc_pad()))
        # As sentence-transformers 6.2.0 calls it: max_seq_length 256, padding to the batch's longest.
        out.append(("minilm-sentence-transformers", MINILM, trunc_pad(dict(max_length=256), dict())))
    else:
        sys.exit(f"{MINILM} is missing: run `go run ./kernel setup` first")
    return out


NO_PAIRS = {"wp-exact-max"}


def encoding(enc):
    return {"ids": enc.ids, "type_ids": enc.type_ids, "attention_mask": enc.attention_mask}


def attempt(f):
    """f()'s encoding(s), or {"error": message} when the library refuses."""
    try:
        r = f()
    except Exception as e:  # the library's truncation errors are plain Exceptions
        return {"error": str(e)}
    return [encoding(e) for e in r] if isinstance(r, list) else encoding(r)


def main():
    out = {"tokenizers_version": tokenizers.__version__, "texts": TEXTS, "pairs": PAIRS, "variants": []}
    for name, base, setup in variants():
        tok = Tokenizer.from_file(base if os.path.isabs(base) else os.path.join(HERE, base))
        setup(tok)
        saved = json.loads(tok.to_str())
        v = {
            "name": name,
            "base": "minilm" if base == MINILM else base,
            "truncation": saved["truncation"],
            "padding": saved["padding"],
            "post_processor": saved["post_processor"],
            "encode": [attempt(lambda: tok.encode(t)) for t in TEXTS],
            "encode_no_special": [attempt(lambda: tok.encode(t, add_special_tokens=False)) for t in TEXTS],
            "batch": attempt(lambda: tok.encode_batch(TEXTS)),
        }
        if name not in NO_PAIRS:
            v["encode_pair"] = [attempt(lambda: tok.encode(a, b)) for a, b in PAIRS]
            v["batch_pairs"] = attempt(lambda: tok.encode_batch([tuple(p) for p in PAIRS]))
        out["variants"].append(v)
    path = os.path.join(HERE, "batch_reference.json")
    with open(path, "w", encoding="utf-8") as f:
        # One variant per line keeps diffs readable.
        f.write('{"tokenizers_version": %s, "texts": %s, "pairs": %s, "variants": [\n' % (
            json.dumps(out["tokenizers_version"]), json.dumps(TEXTS, ensure_ascii=False), json.dumps(PAIRS, ensure_ascii=False)))
        f.write(",\n".join(json.dumps(v, ensure_ascii=False, separators=(",", ":")) for v in out["variants"]))
        f.write("\n]}\n")
    print(f"{path}: {os.path.getsize(path)} bytes, {len(out['variants'])} variants")


if __name__ == "__main__":
    main()
