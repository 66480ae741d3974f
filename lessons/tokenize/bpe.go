package tokenize

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Tokenizer is what every tokenizer of this lesson does.
type Tokenizer interface {
	// Encode turns text into token ids.
	Encode(text string) []int
	// Decode turns ids back into text; ids it does not know are skipped.
	Decode(ids []int) string
	// Token returns the text of one token ("" for an unknown id).
	Token(id int) string
	// VocabSize is the number of distinct ids, special tokens included.
	VocabSize() int
}

// Pieces encodes text and returns each token's text: what the tokenizer cut
// the text into.
//
//	Pieces(tok, "lowest") -> ["low" "est"]
func Pieces(tok Tokenizer, text string) []string {
	ids := tok.Encode(text)
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = tok.Token(id)
	}
	return out
}

// Merge is one step of BPE training: two adjacent tokens joined into a new
// one.
type Merge struct {
	Pair        [2]string // the two tokens joined, e.g. {"e", "s"}
	Token       string    // the new token, e.g. "es"
	Count       int       // how often the pair occurred when it was chosen (0 if unknown)
	Left, Right int       // ids of the two tokens
	ID          int       // id of the new token
}

// String shows a merge the way the lesson prints it; byte-level tokens that
// are not whole characters show as Go escapes ("\xec\x95").
//
//	{"e","s"} -> "es" counted 9 times: "e" + "s" -> "es" (9)
func (m Merge) String() string {
	return fmt.Sprintf("%q + %q -> %q (%d)", m.Pair[0], m.Pair[1], m.Token, m.Count)
}

// Levels of BPE: what the tokens are made of before any merge.
const (
	levelBytes = "bytes" // the 256 byte values, GPT-2 pre-tokens (TrainBPE)
	levelChars = "chars" // the characters of the training text, GPT-2 pre-tokens (TrainCharBPE)
	levelWords = "words" // characters plus an end-of-word mark, whitespace words (TrainWordBPE)
)

// EndOfWord marks the end of a word in TrainWordBPE's tokens, as in Sennrich
// et al. (2016).
const EndOfWord = "</w>"

// UnknownToken stands for a character that a character-level tokenizer never
// saw in training.
const UnknownToken = "[UNK]"

// BPE is a byte-pair-encoding tokenizer: a base vocabulary (bytes or
// characters) and a list of merges, applied in the order they were learned.
// Encode and Decode are safe for concurrent use; AddSpecialTokens is not.
type BPE struct {
	// Merges lists the merges in the order they were learned: Merges[0] is the
	// pair that was most frequent in the training text.
	Merges []Merge

	level   string
	vocab   []string       // id -> token text
	charID  map[rune]int32 // chars and words levels: character -> id
	unk     int32          // chars and words levels: id of [UNK]
	eow     int32          // words level: id of </w>
	ranks   *mergeTable    // (left, right) -> merge
	special specialTokens  // never split
	cache   wordCache      // pre-token -> ids
	bytes   *byteEncoder   // bytes level: the fast path
}

// VocabSize is the number of tokens: base tokens, merged tokens and special
// tokens.
func (t *BPE) VocabSize() int { return len(t.vocab) }

// Token returns the text of token id ("" if id is out of range). For a
// byte-level BPE it may be part of a UTF-8 character.
func (t *BPE) Token(id int) string {
	if id < 0 || id >= len(t.vocab) {
		return ""
	}
	return t.vocab[id]
}

// alphabet returns the characters of a character-level BPE, in id order.
func (t *BPE) alphabet() []rune {
	var out []rune
	for _, tok := range t.vocab[1 : 1+len(t.charID)] {
		out = append(out, []rune(tok)...)
	}
	return out
}

// ID returns the id of a token, or -1 if the vocabulary does not have it.
func (t *BPE) ID(token string) int {
	return slices.Index(t.vocab, token)
}

// AddSpecialTokens gives each token a new id at the end of the vocabulary and
// makes Encode keep it whole wherever it appears in the text. A token that is
// already special, or empty, is ignored.
//
//	tok.AddSpecialTokens("<|endoftext|>")
//	tok.Encode("hi<|endoftext|>") -> [... id of "hi" ..., VocabSize()-1]
func (t *BPE) AddSpecialTokens(tokens ...string) {
	for _, s := range tokens {
		if s == "" || t.special.lookup(s) >= 0 {
			continue
		}
		t.special.add(s, len(t.vocab))
		t.vocab = append(t.vocab, s)
	}
}

// Encode turns text into token ids: special tokens first, then pre-tokens
// (GPT-2's split, or white-space words for TrainWordBPE), then the merges
// inside each pre-token.
func (t *BPE) Encode(text string) []int {
	ids := make([]int, 0, len(text)/3+1)
	var buf []int32
	t.special.split(text, func(piece string, id int) {
		if id >= 0 {
			ids = append(ids, id)
			return
		}
		if t.bytes != nil {
			ids = t.bytes.appendText(piece, ids)
			return
		}
		if t.level == levelWords {
			for _, w := range strings.Fields(piece) {
				ids, buf = t.encodeWord(w, ids, buf)
			}
			return
		}
		for i := 0; i < len(piece); {
			n := nextGPT2(piece, i)
			ids, buf = t.encodeWord(piece[i:i+n], ids, buf)
			i += n
		}
	})
	return ids
}

// encodeWord appends the ids of one pre-token of a character-level BPE to
// ids; buf is scratch space.
func (t *BPE) encodeWord(word string, ids []int, buf []int32) ([]int, []int32) {
	if cached, ok := t.cache.get(word); ok {
		for _, id := range cached {
			ids = append(ids, int(id))
		}
		return ids, buf
	}
	buf = t.baseIDs(word, buf[:0])
	syms := t.ranks.apply(buf)
	t.cache.put(word, syms)
	for _, id := range syms {
		ids = append(ids, int(id))
	}
	return ids, buf
}

// baseIDs appends the ids of word's characters to buf, before any merge.
func (t *BPE) baseIDs(word string, buf []int32) []int32 {
	for i := 0; i < len(word); {
		r, w := utf8.DecodeRuneInString(word[i:])
		id, ok := t.charID[r]
		if !ok || r == utf8.RuneError && w == 1 {
			id = t.unk
		}
		buf = append(buf, id)
		i += w
	}
	if t.level == levelWords {
		buf = append(buf, t.eow)
	}
	return buf
}

// Decode joins the tokens' texts. For byte-level BPE that gives back the exact
// bytes that were encoded, valid UTF-8 or not. For TrainWordBPE each
// end-of-word mark becomes a space (the last one none), so white space comes
// back as single spaces.
func (t *BPE) Decode(ids []int) string {
	var b strings.Builder
	for _, id := range ids {
		b.WriteString(t.Token(id))
	}
	if t.level != levelWords {
		return b.String()
	}
	return strings.TrimSuffix(strings.ReplaceAll(b.String(), EndOfWord, " "), " ")
}

// newBPE builds a tokenizer from its base vocabulary and merges (pairs of
// ids, in order). It checks that each merge joins tokens that exist before it.
// Its errors have no "tokenize:" prefix; the callers add what they know.
func newBPE(level string, alphabet []rune, pairs [][2]int, counts []int) (*BPE, error) {
	t := &BPE{level: level, unk: -1, eow: -1, ranks: newMergeTable(len(pairs))}
	switch level {
	case levelBytes:
		for b := 0; b < 256; b++ {
			t.vocab = append(t.vocab, string([]byte{byte(b)}))
		}
	case levelChars, levelWords:
		t.unk = 0
		t.vocab = append(t.vocab, UnknownToken)
		t.special.add(UnknownToken, 0)
		t.charID = make(map[rune]int32, len(alphabet))
		for _, r := range alphabet {
			if _, dup := t.charID[r]; dup || !utf8.ValidRune(r) || r == utf8.RuneError {
				return nil, fmt.Errorf("the alphabet lists %q twice or it is not a valid character", r)
			}
			t.charID[r] = int32(len(t.vocab))
			t.vocab = append(t.vocab, string(r))
		}
		if level == levelWords {
			t.eow = int32(len(t.vocab))
			t.vocab = append(t.vocab, EndOfWord)
		}
	default:
		return nil, fmt.Errorf("unknown BPE level %q (want %q, %q or %q)", level, levelBytes, levelChars, levelWords)
	}
	for i, p := range pairs {
		l, r := p[0], p[1]
		if l < 0 || r < 0 || l >= len(t.vocab) || r >= len(t.vocab) {
			return nil, fmt.Errorf("merge %d joins tokens %d and %d, but only ids 0..%d exist before it", i, l, r, len(t.vocab)-1)
		}
		if t.ranks.has(int32(l), int32(r)) {
			return nil, fmt.Errorf("merge %d joins tokens %d and %d a second time", i, l, r)
		}
		id := len(t.vocab)
		t.ranks.set(int32(l), int32(r), rankedMerge{rank: int32(i), id: int32(id)})
		m := Merge{Pair: [2]string{t.vocab[l], t.vocab[r]}, Token: t.vocab[l] + t.vocab[r], Left: l, Right: r, ID: id}
		if counts != nil {
			m.Count = counts[i]
		}
		t.Merges = append(t.Merges, m)
		t.vocab = append(t.vocab, m.Token)
	}
	if level == levelBytes {
		t.bytes = &byteEncoder{ranks: t.ranks}
		for b := range t.bytes.byteID {
			t.bytes.byteID[b] = int32(b)
		}
	}
	return t, nil
}
