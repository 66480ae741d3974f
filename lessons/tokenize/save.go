package tokenize

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/baeum-go/baeum/mlx"
	"os"
)

// A saved tokenizer is a small JSON file: for BPE, the base level, the
// alphabet (character levels), the merges as pairs of ids with their counts,
// and the special tokens added after training; for WordPiece, the
// vocabulary. The vocabulary of a BPE is not stored: it follows from the
// merges, as in minbpe's .model files.
type savedTokenizer struct {
	Format   string   `json:"format"`
	Version  int      `json:"version"`
	Type     string   `json:"type"`
	Level    string   `json:"level,omitempty"`
	Alphabet string   `json:"alphabet,omitempty"`
	Merges   [][3]int `json:"merges,omitempty"` // left id, right id, count
	Special  []string `json:"special,omitempty"`
	Vocab    []string `json:"vocab,omitempty"`
}

const savedFormat = "baeum-tokenizer"

// Save writes the tokenizer to path, so that Load gives it back. It writes a
// temporary file next to path and renames it, so path is never left half
// written.
func (t *BPE) Save(path string) error {
	s := savedTokenizer{Format: savedFormat, Version: 1, Type: "bpe", Level: t.level}
	if t.level != levelBytes {
		s.Alphabet = string(t.alphabet())
	}
	for _, m := range t.Merges {
		s.Merges = append(s.Merges, [3]int{m.Left, m.Right, m.Count})
	}
	for _, tok := range t.special.list {
		if tok != UnknownToken || t.level == levelBytes {
			s.Special = append(s.Special, tok)
		}
	}
	return writeJSON(path, s)
}

// Save writes the tokenizer to path, so that Load gives it back (through a
// temporary file, renamed into place).
func (t *WordPiece) Save(path string) error {
	return writeJSON(path, savedTokenizer{Format: savedFormat, Version: 1, Type: "wordpiece", Vocab: t.vocab})
}

// Load reads a tokenizer written by Save: a *BPE or a *WordPiece. A damaged
// file gives an error that says what is wrong with it.
func Load(path string) (Tokenizer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tokenize: %w", err)
	}
	t, err := parseSaved(data)
	if err != nil {
		return nil, fmt.Errorf("tokenize: %s: %w", path, err)
	}
	return t, nil
}

func parseSaved(data []byte) (Tokenizer, error) {
	var s savedTokenizer
	if err := json.Unmarshal(data, &s); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, fmt.Errorf("not valid JSON near byte %d (%v); was the file cut short?", syn.Offset, err)
		}
		return nil, fmt.Errorf("not a tokenizer saved by this package: %v", err)
	}
	if s.Format != savedFormat || s.Version != 1 {
		return nil, fmt.Errorf(`not a tokenizer saved by this package (want "format": %q, "version": 1); `+
			`for a Hugging Face tokenizer.json use LoadHF`, savedFormat)
	}
	switch s.Type {
	case "bpe":
		pairs := make([][2]int, len(s.Merges))
		counts := make([]int, len(s.Merges))
		for i, m := range s.Merges {
			if m[2] < 0 {
				return nil, fmt.Errorf("merge %d has a negative count", i)
			}
			pairs[i], counts[i] = [2]int{m[0], m[1]}, m[2]
		}
		if s.Level == levelBytes && s.Alphabet != "" {
			return nil, errors.New("a byte-level BPE has no alphabet")
		}
		t, err := newBPE(s.Level, []rune(s.Alphabet), pairs, counts)
		if err != nil {
			return nil, err
		}
		t.AddSpecialTokens(s.Special...)
		return t, nil
	case "wordpiece":
		return newWordPiece(s.Vocab)
	}
	return nil, fmt.Errorf(`unknown tokenizer type %q (want "bpe" or "wordpiece")`, s.Type)
}

// writeJSON writes v to a temporary file in path's folder and renames it to
// path: a crash or a full disk leaves the old file (or none), never half of
// the new one.
func writeJSON(path string, v any) error {
	data, err := json.Marshal(v)
	if err == nil {
		err = mlx.WriteFileAtomic(path, append(data, '\n'))
	}
	if err != nil {
		return fmt.Errorf("tokenize: saving %s: %w", path, err)
	}
	return nil
}
