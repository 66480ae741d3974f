package tokenize

import (
	"fmt"
	"sort"
	"strings"
)

// Vocab maps characters (and a few special tokens) to ids and back: the
// simplest tokenizer, enough for the small models of lessons 04-07.
// The other tokenizers of this package split text into larger pieces.
type Vocab struct {
	tokens []string
	ids    map[string]int32
	unk    int32 // id of "[UNK]", or -1
}

// NewCharVocab builds a vocabulary from text: the special tokens first (in
// the order given, e.g. "[PAD]", "[UNK]"), then the characters of text, most
// frequent first (ties in code-point order), keeping at most maxChars of
// them (0 keeps all). Characters left out map to "[UNK]" when it is one of
// the specials.
//
//	NewCharVocab("abca", 0) -> ids a=0 b=1 c=2
func NewCharVocab(text string, maxChars int, specials ...string) *Vocab {
	counts := map[rune]int{}
	for _, r := range text {
		counts[r]++
	}
	chars := make([]rune, 0, len(counts))
	for r := range counts {
		chars = append(chars, r)
	}
	sort.Slice(chars, func(i, j int) bool {
		if counts[chars[i]] != counts[chars[j]] {
			return counts[chars[i]] > counts[chars[j]]
		}
		return chars[i] < chars[j]
	})
	if maxChars > 0 && len(chars) > maxChars {
		chars = chars[:maxChars]
	}
	tokens := append([]string(nil), specials...)
	for _, r := range chars {
		tokens = append(tokens, string(r))
	}
	return NewVocab(tokens)
}

// NewVocab makes a vocabulary from its list of tokens (id = position).
func NewVocab(tokens []string) *Vocab {
	v := &Vocab{tokens: append([]string(nil), tokens...), ids: make(map[string]int32, len(tokens)), unk: -1}
	for i, t := range v.tokens {
		v.ids[t] = int32(i)
	}
	if id, ok := v.ids["[UNK]"]; ok {
		v.unk = id
	}
	return v
}

// Size is the number of tokens.
func (v *Vocab) Size() int { return len(v.tokens) }

// Tokens returns a copy of the token list (id = position), e.g. to save it.
func (v *Vocab) Tokens() []string { return append([]string(nil), v.tokens...) }

// Token is the text of id ("" when out of range).
func (v *Vocab) Token(id int32) string {
	if id < 0 || int(id) >= len(v.tokens) {
		return ""
	}
	return v.tokens[id]
}

// ID is the id of a token, or -1.
func (v *Vocab) ID(token string) int32 {
	if id, ok := v.ids[token]; ok {
		return id
	}
	return -1
}

// Encode maps each character of text to its id; a character not in the
// vocabulary becomes "[UNK]", or an error when there is no "[UNK]".
func (v *Vocab) Encode(text string) ([]int32, error) {
	ids := make([]int32, 0, len(text))
	for _, r := range text {
		id, ok := v.ids[string(r)]
		if !ok {
			if v.unk < 0 {
				return nil, fmt.Errorf("tokenize.Vocab: character %q is not in the vocabulary (and there is no [UNK])", r)
			}
			id = v.unk
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Decode joins the tokens of ids.
func (v *Vocab) Decode(ids []int32) string {
	var b strings.Builder
	for _, id := range ids {
		b.WriteString(v.Token(id))
	}
	return b.String()
}
