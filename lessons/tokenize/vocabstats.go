package tokenize

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/baeum-go/baeum/mlx"
)

// Corpora of the course, by language: 150,000 Korean movie reviews (NSMC,
// one per line) and Tiny Shakespeare.
var corpusFiles = map[string]string{
	"ko": "nsmc/corpus_ko.txt",
	"en": "tinyshakespeare/input.txt",
}

// Corpus returns the start of a course corpus, "ko" or "en", cut at the end
// of the last whole line within maxBytes bytes (maxBytes <= 0: all of it).
// The files come through the course's data loader (mlx.ReadDataFile).
func Corpus(lang string, maxBytes int) (string, error) {
	rel, ok := corpusFiles[lang]
	if !ok {
		return "", fmt.Errorf(`tokenize: no corpus for language %q; use "ko" (Korean reviews) or "en" (Shakespeare)`, lang)
	}
	data, err := mlx.ReadDataFile(rel)
	if err != nil {
		return "", err
	}
	if maxBytes > 0 && len(data) > maxBytes {
		cut := strings.LastIndexByte(string(data[:maxBytes]), '\n')
		data = data[:cut+1]
	}
	return string(data), nil
}

// VocabStat is one row of the vocabulary-size table: how long the same text
// becomes in tokens with a vocabulary of a given size.
type VocabStat struct {
	Language      string  // "ko", "en", or what the caller named the text
	VocabSize     int     // tokens in the vocabulary (smaller than asked if training ran out of pairs)
	Chars         int     // characters of the held-out text
	Tokens        int     // tokens it encodes to
	TokensPerChar float64 // Tokens / Chars: lower means shorter sequences
}

// String prints a row: "ko  vocab  1000: 0.712 tokens/char".
func (s VocabStat) String() string {
	return fmt.Sprintf("%-3s vocab %6d: %.3f tokens/char", s.Language, s.VocabSize, s.TokensPerChar)
}

// VocabStats measures, for each vocabulary size, how many tokens per
// character a byte-level BPE (TrainBPE) needs for text. It trains on the
// first 90% of the lines and measures on the other 10%, so a big vocabulary
// cannot win by memorizing the test text. One training run serves all sizes:
// BPE with vocabulary size n is the first n-256 merges of a larger run.
//
//	VocabStats("ko", 300 KB of reviews, []int{256, 1000, 4000})
//	-> ko 256: 2.415, ko 1000: 0.836, ko 4000: 0.579 tokens/char
func VocabStats(lang, text string, sizes []int) ([]VocabStat, error) {
	if len(sizes) == 0 {
		return nil, fmt.Errorf("tokenize: VocabStats needs at least one vocabulary size")
	}
	lines := strings.SplitAfter(text, "\n")
	if len(lines) < 10 {
		return nil, fmt.Errorf("tokenize: VocabStats needs at least 10 lines of text to hold one tenth out, got %d", len(lines))
	}
	split := len(lines) * 9 / 10
	train, test := strings.Join(lines[:split], ""), strings.Join(lines[split:], "")
	largest := 0
	for _, n := range sizes {
		if n < 256 {
			return nil, fmt.Errorf("tokenize: vocabulary size %d is below 256, the byte alphabet of byte-level BPE", n)
		}
		largest = max(largest, n)
	}
	full, err := TrainBPE(train, largest)
	if err != nil {
		return nil, err
	}
	chars := utf8.RuneCountInString(test)
	out := make([]VocabStat, 0, len(sizes))
	for _, n := range sizes {
		tok := full.truncate(n - 256)
		tokens := len(tok.Encode(test))
		out = append(out, VocabStat{Language: lang, VocabSize: tok.VocabSize(), Chars: chars, Tokens: tokens,
			TokensPerChar: float64(tokens) / float64(max(chars, 1))})
	}
	return out, nil
}

// CompareVocabSizes runs VocabStats on the first maxBytes bytes of the Korean
// and of the English corpus: the table and plot of the lesson. With 2 MB per
// language and sizes up to 16,000 it takes about a second on 2 cores. Tiny
// Shakespeare (1.1 MB) runs out of pairs that occur twice near 12,000 tokens,
// so its largest rows may report a smaller VocabSize than asked.
func CompareVocabSizes(sizes []int, maxBytes int) ([]VocabStat, error) {
	var out []VocabStat
	for _, lang := range []string{"ko", "en"} {
		text, err := Corpus(lang, maxBytes)
		if err != nil {
			return nil, err
		}
		rows, err := VocabStats(lang, text, sizes)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	return out, nil
}

// truncate returns a BPE with only the first n merges of t (and no special
// tokens added after training).
func (t *BPE) truncate(n int) *BPE {
	n = min(n, len(t.Merges))
	pairs := make([][2]int, n)
	counts := make([]int, n)
	for i, m := range t.Merges[:n] {
		pairs[i], counts[i] = [2]int{m.Left, m.Right}, m.Count
	}
	var alphabet []rune
	if t.level != levelBytes {
		alphabet = t.alphabet()
	}
	out, err := newBPE(t.level, alphabet, pairs, counts)
	if err != nil {
		panic("tokenize: truncating a valid BPE failed: " + err.Error()) // cannot happen: a prefix of valid merges is valid
	}
	return out
}
