#!/usr/bin/env python3
"""Write minilm_reference.json: all-MiniLM-L6-v2's sentence embeddings as
sentence-transformers computes them, for the Go tests of minilm.go.

Run from the repository root (see README.md beside this script) after
`go run ./kernel setup` has installed the model:

    python3 -m venv /tmp/refvenv
    /tmp/refvenv/bin/pip install torch==2.15.0 transformers==5.24.0 \
        sentence-transformers==6.2.0 tokenizers==0.23.3 scipy==1.17.1 scikit-learn==1.9.1
    /tmp/refvenv/bin/python lessons/retrieval/testdata/make_minilm_reference.py

The model is loaded from the folder setup unpacked
(~/.cache/baeum/models/all-minilm-l6-v2, or $BAEUM_MODELS/all-minilm-l6-v2),
never from the hub. For each sentence the file holds the ids the model read
(sentence-transformers' own tokenization, checked equal to the tokenizers
library's with the same truncation), the length before truncation, and the
384-d embedding rounded to 7 significant digits.
"""
import json
import os
import sys

os.environ["HF_HUB_OFFLINE"] = "1"  # no hub access: everything comes from the local folder

import sentence_transformers  # noqa: E402
import tokenizers  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.environ.get("BAEUM_MODELS", os.path.join(os.path.expanduser("~"), ".cache", "baeum", "models"))
MODEL_DIR = os.path.join(MODELS, "all-minilm-l6-v2")

LONG = ("To upgrade a Debian system to the next stable release, first read the release notes, "
        "make a backup, and bring the current system fully up to date. Then change every "
        "occurrence of the old codename in /etc/apt/sources.list and in the files under "
        "/etc/apt/sources.list.d to the new one, run apt update, and upgrade in two steps: "
        "apt upgrade --without-new-pkgs first, then apt full-upgrade. ")
SENTENCES = [
    "How do I upgrade to a new Debian release?",
    "How can I install a package that is not in the archive?",
    "What is the difference between stable, testing and unstable?",
    "Why does apt say that some packages have been kept back?",
    "Where do I report a bug in a Debian package?",
    "Is Debian free software?",
    "데비안을 새 릴리스로 업그레이드하려면 어떻게 하나요?",
    "패키지 버그는 어디에 보고하나요?",
    "데비안은 자유 소프트웨어인가요?",
    "ok",
    LONG * 2,  # about 190 word pieces: more than the tokenizer.json's 128, fewer than 256
    LONG * 4,  # about 380: cut at 256
]


def main():
    if not os.path.exists(os.path.join(MODEL_DIR, "model.safetensors")):
        sys.exit(f"{MODEL_DIR} has no model.safetensors: run `go run ./kernel setup` first")
    torch.manual_seed(0)
    # modules.json lists Transformer, 1_Pooling and 2_Normalize; the folder
    # 2_Normalize is not shipped, and sentence-transformers does not need it
    # (Normalize has no settings), so the folder loads as it is.
    model = SentenceTransformer(MODEL_DIR, device="cpu", local_files_only=True)
    kinds = [type(m).__name__ for m in model]
    assert kinds == ["Transformer", "Pooling", "Normalize"], kinds
    max_len = model.max_seq_length
    features = model.preprocess(SENTENCES)
    ids = features["input_ids"].tolist()
    mask = features["attention_mask"].tolist()
    ids = [row[:sum(m)] for row, m in zip(ids, mask)]

    # The same ids from the tokenizers library, with sentence-transformers'
    # truncation (max_seq_length, longest first) instead of the file's.
    tok = Tokenizer.from_file(os.path.join(MODEL_DIR, "tokenizer.json"))
    file_truncation = json.loads(tok.to_str())["truncation"]
    tok.no_padding()
    tok.no_truncation()
    full = [len(e.ids) for e in tok.encode_batch(SENTENCES)]
    tok.enable_truncation(max_length=max_len)
    assert [e.ids for e in tok.encode_batch(SENTENCES)] == ids, "sentence-transformers and tokenizers disagree"

    with torch.inference_mode():
        emb = model.encode(SENTENCES, batch_size=64, convert_to_numpy=True, normalize_embeddings=False)
    out = {
        "versions": {"sentence_transformers": sentence_transformers.__version__, "transformers": transformers.__version__,
                     "torch": torch.__version__, "tokenizers": tokenizers.__version__},
        "modules": kinds,
        "max_seq_length": max_len,
        "tokenizer_json_truncation": file_truncation,
        "sentences": [
            {"text": s, "ids": i, "untruncated_length": n, "embedding": [float(f"{x:.7g}") for x in e]}
            for s, i, n, e in zip(SENTENCES, ids, full, emb.tolist())
        ],
    }
    path = os.path.join(HERE, "minilm_reference.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write("{\n")
        for k in ["versions", "modules", "max_seq_length", "tokenizer_json_truncation"]:
            f.write(f"{json.dumps(k)}: {json.dumps(out[k])},\n")
        f.write('"sentences": [\n')
        f.write(",\n".join(json.dumps(s, ensure_ascii=False) for s in out["sentences"]))
        f.write("\n]}\n")
    print(f"{path}: {len(SENTENCES)} sentences, max_seq_length {max_len}, lengths {[len(i) for i in ids]} (untruncated {full})")


if __name__ == "__main__":
    main()
