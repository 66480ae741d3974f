package tokenize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds start every fuzz test: the round-trip table plus broken UTF-8.
func fuzzSeeds(f *testing.F) {
	for _, s := range roundTripTexts {
		f.Add([]byte(s))
	}
	f.Add([]byte("\xff\xfe\xed\x95 \xc0\xaf<|endoftext|>[CLS]"))
}

// FuzzByteLevelRoundTrip: byte-level BPE gives back any bytes, both the one
// trained here and the Hugging Face one.
func FuzzByteLevelRoundTrip(f *testing.F) {
	fuzzSeeds(f)
	own, err := TrainBPE(strings.Join(roundTripTexts, "\n")+sennrich, 400)
	if err != nil {
		f.Fatal(err)
	}
	own.AddSpecialTokens("<|endoftext|>")
	hf := loadHFTestdata(f, "bytelevel_bpe.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		s := string(data)
		if got := own.Decode(own.Encode(s)); got != s {
			t.Errorf("TrainBPE: Decode(Encode(%q)) = %q", s, got)
		}
		if strings.Contains(s, "<|endoftext|>") {
			return // the library's decode skips special tokens, and so does HFTokenizer.Decode
		}
		if got := hf.Decode(hf.Encode(s)); got != s {
			t.Errorf("bytelevel_bpe.json: Decode(Encode(%q)) = %q", s, got)
		}
	})
}

// toAlphabet maps each character of arbitrary bytes onto an alphabet, so that
// fuzzing the tokenizers that have [UNK] spends its time on text they can
// represent: valid UTF-8 with no unknown character.
func toAlphabet(data []byte, alphabet []rune) string {
	var b strings.Builder
	for _, r := range string(data) {
		b.WriteRune(alphabet[int(uint32(r))%len(alphabet)])
	}
	return b.String()
}

// FuzzCharBPERoundTrip: character-level BPE gives back any valid UTF-8 text
// made of characters it knows.
func FuzzCharBPERoundTrip(f *testing.F) {
	fuzzSeeds(f)
	corpus := strings.Join(roundTripTexts, "\n") + sennrich
	tok, err := TrainCharBPE(corpus, 300)
	if err != nil {
		f.Fatal(err)
	}
	_, alphabet := countWords(corpus, SplitGPT2)
	f.Fuzz(func(t *testing.T, data []byte) {
		s := toAlphabet(data, alphabet)
		if got := tok.Decode(tok.Encode(s)); got != s {
			t.Errorf("Decode(Encode(%q)) = %q", s, got)
		}
	})
}

// FuzzWordPieceRoundTrip: WordPiece loses only white space. For text of known
// characters, decoding gives back BERT's words joined by single spaces.
func FuzzWordPieceRoundTrip(f *testing.F) {
	fuzzSeeds(f)
	corpus := strings.Join(roundTripTexts, "\n") + sennrich
	tok, err := TrainWordPiece(corpus, 600)
	if err != nil {
		f.Fatal(err)
	}
	_, alphabet := countWords(corpus, SplitGPT2)
	f.Fuzz(func(t *testing.T, data []byte) {
		s := toAlphabet(data, alphabet)
		want := strings.Join(Words(s), " ")
		for _, w := range Words(s) {
			if utf8.RuneCountInString(w) > MaxCharsPerWord {
				return // becomes [UNK] by design
			}
		}
		if got := tok.Decode(tok.Encode(s)); got != want {
			t.Errorf("Decode(Encode(%q)) = %q, want %q", s, got, want)
		}
	})
}

// FuzzSplitGPT2: the pieces are non-empty and join to the input; a piece
// never starts with two spaces of which the second begins a word.
func FuzzSplitGPT2(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		s := string(data)
		pieces := SplitGPT2(s)
		if strings.Join(pieces, "") != s {
			t.Fatalf("pieces %q do not join to %q", pieces, s)
		}
		for _, p := range pieces {
			if p == "" {
				t.Fatalf("empty piece in %q", pieces)
			}
		}
	})
}

// FuzzHangul: decomposing and composing again gives back text that has no
// conjoining jamo of its own.
func FuzzHangul(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		s := string(data)
		for _, r := range s {
			if r >= 0x1100 && r <= 0x11FF {
				return
			}
		}
		if got := ComposeHangul(DecomposeHangul(s)); got != s {
			t.Errorf("ComposeHangul(DecomposeHangul(%q)) = %q", s, got)
		}
	})
}

// FuzzParseHF: no input makes the loader panic. The seeds are small
// hand-made files (the fuzzer crawls on the 100 KB reference files).
func FuzzParseHF(f *testing.F) {
	f.Add([]byte(`{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}, "pre_tokenizer": {"type": "ByteLevel"}, "decoder": {"type": "ByteLevel"}}`))
	f.Add([]byte(`{"added_tokens": [{"id": 0, "content": "[UNK]", "special": true}], "normalizer": {"type": "BertNormalizer", "lowercase": true},
	  "pre_tokenizer": {"type": "BertPreTokenizer"}, "post_processor": {"type": "BertProcessing", "cls": ["[UNK]", 0], "sep": ["[UNK]", 0]},
	  "decoder": {"type": "WordPiece"}, "model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "a": 1, "##b": 2}}}`))
	f.Add([]byte(`{"normalizer": {"type": "Sequence", "normalizers": [{"type": "NFKC"}]}, "pre_tokenizer": {"type": "WhitespaceSplit"},
	  "model": {"type": "BPE", "unk_token": "?", "fuse_unk": true, "byte_fallback": true, "vocab": {"?": 0, "<0x41>": 1}, "merges": []}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tok, err := ParseHF(data)
		if err == nil {
			tok.Decode(tok.Encode("안녕 hello [UNK] A\xff"))
		}
	})
}
