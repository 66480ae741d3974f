#!/usr/bin/env python3
"""Regenerate the Hugging Face reference files used by the Go tests.

Run from the repository root (see README.md beside this script):

    python3 -m venv /tmp/tokvenv
    /tmp/tokvenv/bin/pip install tokenizers==0.23.3 regex==2026.11.19
    BAEUM_DATA=../shared/data /tmp/tokvenv/bin/python lessons/tokenize/testdata/make_reference.py [--retrain]
    BAEUM_DATA=<a folder with the derived nsmc/> ... make_reference.py --derived

It writes reference.json: for every test string, the ids, tokens and decoded
text that the `tokenizers` library produces with each of the four tokenizer.json
files here, the GPT-2 pre-tokens of every string, and a SHA-256 of the ids of
40,000 corpus lines per tokenizer.

With --retrain it first trains the four tokenizers anew on slices of the course
corpora (Korean movie reviews and Tiny Shakespeare) and overwrites their
tokenizer.json files. Byte-level and character BPE training is deterministic;
WordPiece training is not (the library breaks ties between equally frequent
pairs in hash-map order), so --retrain may change the wordpiece_*.json files.
Without --retrain the committed tokenizer.json files are used as they are, so
a rerun reproduces reference.json exactly.
"""
import hashlib
import json
import os
import sys

import regex
import tokenizers
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("BAEUM_DATA", os.path.join(HERE, "..", "..", "..", "..", "shared", "data"))
SHA256 = {
    "nsmc/corpus_ko.txt": "3410fd57c724309d55a66159f12f0bbf3929436d80f913ef3e2700af6b8583e6",
    "tinyshakespeare/input.txt": "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
}
# --derived: the corpus the course derives from NSMC's canonical files on a
# machine without the shared folder (mlx/nsmc.go); only corpus_ids_derived is
# (re)computed, from it.
if "--derived" in sys.argv[1:]:
    SHA256["nsmc/corpus_ko.txt"] = "b8acc7db2fd6e4934253421b1ca9b3eb173de83a405f9799aee2fb74692930f1"
# GPT-2's pre-tokenization pattern, exactly as in OpenAI's encoder.py and in
# the tokenizers library's ByteLevel pre-tokenizer.
GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def read_lines(rel, first, count):
    path = os.path.join(DATA, rel)
    with open(path, "rb") as f:
        raw = f.read()
    if hashlib.sha256(raw).hexdigest() != SHA256[rel]:
        sys.exit(f"{path}: unexpected SHA-256; this script needs the course's copy of {rel}")
    return raw.decode("utf-8").split("\n")[first:first + count]  # split as Go does


def training_text():
    # The same slices in every tokenizer: 20,000 Korean reviews, 10,000 lines of Shakespeare.
    return read_lines("nsmc/corpus_ko.txt", 0, 20000) + read_lines("tinyshakespeare/input.txt", 0, 10000)


def bytelevel_bpe(lines):
    """A GPT-2-like byte-level BPE: no normalizer, ByteLevel pre-tokenizer and decoder."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(vocab_size=4000, special_tokens=["<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(lines, trainer)
    return tok


def char_bpe(lines):
    """A character-level BPE with [UNK] for characters outside its 400-character alphabet."""
    tok = Tokenizer(models.BPE(unk_token="[UNK]", fuse_unk=True))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True,
                                                strip_accents=False, lowercase=False)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.BPEDecoder()
    trainer = trainers.BpeTrainer(vocab_size=3000, special_tokens=SPECIALS, limit_alphabet=400, show_progress=False)
    tok.train_from_iterator(lines, trainer)
    return tok


def wordpiece(lines, lowercase, vocab_size, limit_alphabet):
    """A BERT-like WordPiece. Cased keeps Hangul syllables; uncased (lowercase and
    strip accents, like bert-base-uncased) decomposes them into jamo by NFD."""
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True,
                                                strip_accents=None, lowercase=lowercase)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece(prefix="##", cleanup=True)
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=SPECIALS,
                                        limit_alphabet=limit_alphabet, show_progress=False)
    tok.train_from_iterator(lines, trainer)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    return tok


# Test strings: Korean, English, emoji, mixed scripts, whitespace runs, special
# tokens, and edge cases of each component. Byte strings that are not valid
# UTF-8 go only to the byte-level tokenizer.
TEXTS = [
    "", "a", " ", "   ", "\n", "Hello, world!", "hello world", "HELLO WORLD",
    "I'm sure they've done it, haven't they? We'll see; you'd know.",
    "DON'T SHOUT, I'LL HEAR", "'s 're 've 'm 'll 'd 't", "it\u2019s", "!'s?'t",
    "The year 2024 had 365 days; pi is 3.14159 and 1,000,000 is a million.",
    "12345678901234567890", "  leading spaces", "trailing spaces   ", "multiple    spaces between",
    "tabs\tand\nnewlines\n\nand \r\n windows", " \n \t ", "a\u00a0b\u3000c\u2003d",
    "Wait... what?!?! (yes) [no] {maybe} <tag> @user #hash $5 50% a&b ~_~ `x` ^^",
    "안녕하세요, 세계!", "이 영화 정말 재밌어요 ㅋㅋㅋㅋ ㅠㅠ", "기대를 저버리지않았음 인정",
    "한국어와 English를 섞은 문장입니다. 2024년 3월 1일.", "ᄒᆞᆫ글 옛한글", "ㄱㄴㄷ ㅏㅑㅓ",
    "배우 연기가 정말 대단했다!!! 10점 만점에 10점~", "괜찮은 영화라고 생각함 거기에 비해서 평점이 너무 낮은듯",
    "🙂 emoji 😀👍🏽 ok", "👨\u200d👩\u200d👧\u200d👦 family", "❤️ love ✨",
    "日本語と中文, русский, ελληνικά, עברית, العربية", "Café naïve résumé ÅNGSTRÖM",
    "e\u0301 combining", "a\u0000b\u200bc\ufffd\u0007d", "[CLS] hello [SEP] [MASK] [PAD]",
    "<|endoftext|>Hello<|endoftext|> world <|endoftext|>", "supercalifragilisticexpialidocious",
    "x" * 120, "가" * 101, "Thou art more lovely and more temperate:",
    "ROMEO:\nBut, soft! what light through yonder window breaks?",
]
INVALID = [b"\xff", b"abc\xfe\xffdef", b"\xed\x95", b"\xc0\xaf", b"caf\xe9 au lait", b"\x80 hello \xbf",
           "한".encode()[:2] + b" " + "국".encode()[1:], b"ok\xf0\x9f\x98 broken emoji"]


def gpt2_pieces(data: bytes):
    """GPT-2 pre-tokens of raw bytes: invalid bytes become lone surrogates
    (surrogateescape), which the pattern treats like any other symbol."""
    s = data.decode("utf-8", "surrogateescape")
    return [p.encode("utf-8", "surrogateescape") for p in regex.findall(GPT2_PATTERN, s)]


BYTE_TO_CHAR = {}
def _byte_table():
    # GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to 256+n.
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    n = 0
    for b in range(256):
        if b in keep:
            BYTE_TO_CHAR[b] = chr(b)
        else:
            BYTE_TO_CHAR[b] = chr(256 + n)
            n += 1
_byte_table()


def bytelevel_model_ids(tok, data: bytes):
    """Ids from the library's BPE model applied to GPT-2 pre-tokens of raw bytes."""
    ids = []
    for piece in gpt2_pieces(data):
        ids += [t.id for t in tok.model.tokenize("".join(BYTE_TO_CHAR[b] for b in piece))]
    return ids


NAMES = ["bytelevel_bpe.json", "char_bpe.json", "wordpiece_cased.json", "wordpiece_uncased.json"]


def train_all():
    lines = training_text()
    toks = {
        "bytelevel_bpe.json": bytelevel_bpe(lines),
        "char_bpe.json": char_bpe(lines),
        "wordpiece_cased.json": wordpiece(lines, lowercase=False, vocab_size=3000, limit_alphabet=500),
        "wordpiece_uncased.json": wordpiece(lines, lowercase=True, vocab_size=1500, limit_alphabet=300),
    }
    for name, tok in toks.items():
        tok.save(os.path.join(HERE, name), pretty=False)


def corpus_lines():
    """The 40,000 lines that bench/ times, unseen in training: Korean lines
    100,000-120,000 and Shakespeare lines 20,000-40,000."""
    return read_lines("nsmc/corpus_ko.txt", 100000, 20000) + read_lines("tinyshakespeare/input.txt", 20000, 20000)


def ids_digest(tok, lines):
    """SHA-256 of the ids of every line (no template), ids joined by "," and
    lines by "\n": one number that pins down 600,000 ids."""
    h = hashlib.sha256()
    total = 0
    for i, enc in enumerate(tok.encode_batch(lines, add_special_tokens=False)):
        if i:
            h.update(b"\n")
        h.update(",".join(map(str, enc.ids)).encode())
        total += len(enc.ids)
    return {"tokens": total, "sha256": h.hexdigest()}


def main():
    if "--derived" in sys.argv[1:]:
        path = os.path.join(HERE, "reference.json")
        with open(path, encoding="utf-8") as f:
            out = json.load(f)
        lines = corpus_lines()
        out["corpus_ids_derived"] = {name: ids_digest(Tokenizer.from_file(os.path.join(HERE, name)), lines) for name in NAMES}
        with open(path, "w", encoding="utf-8") as f:
            json.dump(out, f, ensure_ascii=False, indent=0)
            f.write("\n")
        print(json.dumps(out["corpus_ids_derived"], indent=1))
        return
    if "--retrain" in sys.argv[1:]:
        train_all()
    lines = corpus_lines()
    cases, vocab_sizes, corpus = [], {}, {}
    for name in NAMES:
        tok = Tokenizer.from_file(os.path.join(HERE, name))
        vocab_sizes[name] = tok.get_vocab_size()
        corpus[name] = ids_digest(tok, lines)
        for text in TEXTS:
            enc = tok.encode(text)
            case = {"tokenizer": name, "text": text, "ids": enc.ids, "tokens": enc.tokens,
                    "decoded": tok.decode(enc.ids)}
            if name == "bytelevel_bpe.json":
                if "<|endoftext|>" not in text:
                    # Self-check of bytelevel_model_ids, which the invalid cases rely on.
                    assert bytelevel_model_ids(tok, text.encode()) == enc.ids, text
                    hf = [p for p, _ in tok.pre_tokenizer.pre_tokenize_str(text)]
                    assert hf == ["".join(BYTE_TO_CHAR[b] for b in p) for p in gpt2_pieces(text.encode())], text
            cases.append(case)
        if name == "bytelevel_bpe.json":
            for data in INVALID:
                cases.append({"tokenizer": name, "bytes_hex": data.hex(), "ids": bytelevel_model_ids(tok, data)})
    pretokens = [{"text_hex": t.encode("utf-8", "surrogatepass").hex(),
                  "pieces_hex": [p.hex() for p in gpt2_pieces(t.encode())]} for t in TEXTS]
    pretokens += [{"text_hex": d.hex(), "pieces_hex": [p.hex() for p in gpt2_pieces(d)]} for d in INVALID]
    out = {"tokenizers_version": tokenizers.__version__, "regex_version": regex.__version__,
           "gpt2_pattern": GPT2_PATTERN, "vocab_sizes": vocab_sizes, "corpus_ids": corpus, "cases": cases, "gpt2_pretokens": pretokens}
    with open(os.path.join(HERE, "reference.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=0)
        f.write("\n")
    for name in NAMES + ["reference.json"]:
        print(f"{name}: {os.path.getsize(os.path.join(HERE, name))} bytes")


if __name__ == "__main__":
    main()
