package tokenize

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSaveLoad(t *testing.T) {
	corpus := strings.Join(roundTripTexts, "\n") + sennrich
	byteTok, err := TrainBPE(corpus, 300)
	if err != nil {
		t.Fatal(err)
	}
	byteTok.AddSpecialTokens("<|endoftext|>")
	charTok, err := TrainCharBPE(corpus, 300)
	if err != nil {
		t.Fatal(err)
	}
	wordTok, err := TrainWordBPE(sennrich, 10)
	if err != nil {
		t.Fatal(err)
	}
	wp, err := TrainWordPiece(corpus, 400)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i, tok := range []interface {
		Tokenizer
		Save(string) error
	}{byteTok, charTok, wordTok, wp} {
		path := filepath.Join(dir, "tok.json")
		if err := tok.Save(path); err != nil {
			t.Fatal(err)
		}
		back, err := Load(path)
		if err != nil {
			t.Fatalf("tokenizer %d: %v", i, err)
		}
		if back.VocabSize() != tok.VocabSize() {
			t.Errorf("tokenizer %d: VocabSize %d after loading, want %d", i, back.VocabSize(), tok.VocabSize())
		}
		for _, s := range append(roundTripTexts, "low<|endoftext|>lowest", "[UNK] [CLS]") {
			if got, want := back.Encode(s), tok.Encode(s); !reflect.DeepEqual(got, want) {
				t.Errorf("tokenizer %d: Encode(%q) = %v after loading, want %v", i, s, got, want)
			}
		}
		if b, ok := back.(*BPE); ok && !reflect.DeepEqual(b.Merges, tok.(*BPE).Merges) {
			t.Errorf("tokenizer %d: merges differ after loading", i)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("Save left %d files in the folder, want only tok.json", len(entries))
	}
}

// TestLoadDamaged: a damaged file gives an error that says what is wrong,
// never a panic.
func TestLoadDamaged(t *testing.T) {
	tests := []struct{ content, want string }{
		{``, "not valid JSON"},
		{`{"format": "baeum-tokenizer", "version": 1, "type": "bpe", "level": "bytes", "merges": [[1, 2, 3]`, "not valid JSON"},
		{`{"version": 1}`, "LoadHF"},
		{`{"format": "baeum-tokenizer", "version": 1, "type": "unigram"}`, "unknown tokenizer type"},
		{`{"format": "baeum-tokenizer", "version": 1, "type": "bpe", "level": "bits"}`, "unknown BPE level"},
		{`{"format": "baeum-tokenizer", "version": 1, "type": "bpe", "level": "bytes", "merges": [[1, 999, 3]]}`, "only ids 0..255"},
		{`{"format": "baeum-tokenizer", "version": 1, "type": "bpe", "level": "bytes", "merges": [[1, 2, 3], [1, 2, 3]]}`, "second time"},
		{`{"format": "baeum-tokenizer", "version": 1, "type": "bpe", "level": "bytes", "merges": [[-1, 2, 3]]}`, "only ids"},
		{`{"format": "baeum-tokenizer", "version": 1, "type": "bpe", "level": "bytes", "merges": [[1, 2, -3]]}`, "negative count"},
		{`{"format": "baeum-tokenizer", "version": 1, "type": "bpe", "level": "chars", "alphabet": "aa"}`, "twice"},
		{`{"format": "baeum-tokenizer", "version": 1, "type": "bpe", "level": "bytes", "merges": "x"}`, "not a tokenizer saved"},
		{`{"format": "baeum-tokenizer", "version": 1, "type": "wordpiece", "vocab": ["a"]}`, "[UNK]"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		path := filepath.Join(dir, "bad.json")
		if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Load(%s): err = %v, want one containing %q", tt.content, err, tt.want)
		}
	}
	if _, err := Load(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("Load of a missing file gave no error")
	}
}
