package tokenize

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// parseModel reads the "model" part of tokenizer.json and returns it with its
// vocabulary. byteLevel says that the pre-tokenizer is ByteLevel, so that the
// model reads each word as bytes written with GPT-2's characters.
func parseModel(raw json.RawMessage, byteLevel bool) (hfModel, map[string]int, error) {
	typ, err := componentType(raw, "model")
	if err != nil {
		return nil, nil, err
	}
	switch typ {
	case "BPE":
		return parseBPEModel(raw, byteLevel)
	case "WordPiece":
		if byteLevel {
			return nil, nil, unsupported("model", "WordPiece after a ByteLevel pre-tokenizer", "BPE after ByteLevel")
		}
		var c struct {
			Vocab    map[string]int `json:"vocab"`
			Unk      string         `json:"unk_token"`
			Prefix   *string        `json:"continuing_subword_prefix"`
			MaxChars *int           `json:"max_input_chars_per_word"`
		}
		if err := strictJSON(raw, &c); err != nil {
			return nil, nil, err
		}
		ids, err := checkVocab(c.Vocab)
		if err != nil {
			return nil, nil, err
		}
		unk, ok := ids[c.Unk]
		if !ok {
			return nil, nil, fmt.Errorf("tokenize: tokenizer.json: the WordPiece unk_token %q is not in the vocabulary", c.Unk)
		}
		prefix, maxChars := "##", MaxCharsPerWord
		if c.Prefix != nil {
			prefix = *c.Prefix
		}
		if c.MaxChars != nil {
			maxChars = *c.MaxChars
		}
		m := newWordPieceModel(ids, unk, prefix, maxChars)
		return &m, c.Vocab, nil
	}
	return nil, nil, unsupported("model", typ, "BPE, WordPiece")
}

// checkVocab checks that ids are non-negative and fit in an int32.
func checkVocab(vocab map[string]int) (map[string]int32, error) {
	if len(vocab) == 0 {
		return nil, fmt.Errorf(`tokenize: tokenizer.json: the model has an empty "vocab"`)
	}
	ids := make(map[string]int32, len(vocab))
	for tok, id := range vocab {
		if id < 0 || id > 1<<30 {
			return nil, fmt.Errorf("tokenize: tokenizer.json: token %q has the id %d; ids must be between 0 and 2^30", tok, id)
		}
		ids[tok] = int32(id)
	}
	return ids, nil
}

// hfBPE is the library's BPE model.
type hfBPE struct {
	ids          map[string]int32
	ranks        *mergeTable
	unk          int32 // -1: characters missing from the vocabulary are dropped
	fuseUnk      bool
	byteFallback bool
	ignoreMerges bool
	prefix       string // continuing_subword_prefix
	suffix       string // end_of_word_suffix
	byteLevel    bool
	cache        wordCache
	bytes        *byteEncoder // the fast path for plain byte-level BPE
}

func parseBPEModel(raw json.RawMessage, byteLevel bool) (hfModel, map[string]int, error) {
	var c struct {
		Vocab        map[string]int    `json:"vocab"`
		Merges       []json.RawMessage `json:"merges"`
		Dropout      *float64          `json:"dropout"`
		Unk          *string           `json:"unk_token"`
		Prefix       *string           `json:"continuing_subword_prefix"`
		Suffix       *string           `json:"end_of_word_suffix"`
		FuseUnk      bool              `json:"fuse_unk"`
		ByteFallback bool              `json:"byte_fallback"`
		IgnoreMerges bool              `json:"ignore_merges"`
	}
	if err := strictJSON(raw, &c); err != nil {
		return nil, nil, err
	}
	if c.Dropout != nil && *c.Dropout != 0 {
		return nil, nil, fmt.Errorf("tokenize: tokenizer.json: BPE dropout %v makes encoding random, which this lesson does not implement; set it to null", *c.Dropout)
	}
	ids, err := checkVocab(c.Vocab)
	if err != nil {
		return nil, nil, err
	}
	m := &hfBPE{ids: ids, ranks: newMergeTable(len(c.Merges)), unk: -1, fuseUnk: c.FuseUnk,
		byteFallback: c.ByteFallback, ignoreMerges: c.IgnoreMerges, byteLevel: byteLevel}
	if c.Prefix != nil {
		m.prefix = *c.Prefix
	}
	if c.Suffix != nil {
		m.suffix = *c.Suffix
	}
	if c.Unk != nil {
		id, ok := ids[*c.Unk]
		if !ok {
			return nil, nil, fmt.Errorf("tokenize: tokenizer.json: the BPE unk_token %q is not in the vocabulary", *c.Unk)
		}
		m.unk = id
	}
	for i, rawMerge := range c.Merges {
		a, b, err := parseMerge(rawMerge)
		if err != nil {
			return nil, nil, fmt.Errorf("tokenize: tokenizer.json: merges[%d]: %w", i, err)
		}
		ida, oka := ids[a]
		idb, okb := ids[b]
		if !oka || !okb {
			return nil, nil, fmt.Errorf("tokenize: tokenizer.json: merges[%d] joins %q and %q, but the vocabulary lacks one of them", i, a, b)
		}
		if m.prefix != "" {
			if !strings.HasPrefix(b, m.prefix) {
				return nil, nil, fmt.Errorf("tokenize: tokenizer.json: merges[%d]: %q should start with the prefix %q", i, b, m.prefix)
			}
			b = b[len(m.prefix):]
		}
		id, ok := ids[a+b]
		if !ok {
			return nil, nil, fmt.Errorf("tokenize: tokenizer.json: merges[%d] makes %q, which is not in the vocabulary", i, a+b)
		}
		// A pair listed twice keeps its last rank, as in the library.
		m.ranks.set(ida, idb, rankedMerge{rank: int32(i), id: id})
	}
	if byteLevel && m.prefix == "" && m.suffix == "" && !m.ignoreMerges {
		m.bytes = &byteEncoder{ranks: m.ranks}
		for b, r := range byteToChar {
			id, ok := ids[string(r)]
			if !ok {
				m.bytes = nil // a byte without a token: take the general path, which knows what to do
				break
			}
			m.bytes.byteID[b] = id
		}
	}
	return m, c.Vocab, nil
}

// parseMerge reads one merge, written either ["a", "b"] or "a b" (older files).
func parseMerge(raw json.RawMessage) (string, string, error) {
	var pair []string
	if err := json.Unmarshal(raw, &pair); err == nil {
		if len(pair) != 2 {
			return "", "", fmt.Errorf("a merge needs 2 tokens, got %d", len(pair))
		}
		return pair[0], pair[1], nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", "", fmt.Errorf(`a merge must be ["a", "b"] or "a b", got %s`, raw)
	}
	parts := strings.Split(s, " ")
	if len(parts) != 2 {
		return "", "", fmt.Errorf(`a merge written as a string must be "a b" with one space, got %q`, s)
	}
	return parts[0], parts[1], nil
}

// tokenize appends the ids of one word, caching the result.
func (m *hfBPE) tokenize(word string, ids []int) []int {
	if m.bytes != nil {
		return m.bytes.appendWord(word, ids)
	}
	if word == "" {
		return ids
	}
	if cached, ok := m.cache.get(word); ok {
		for _, id := range cached {
			ids = append(ids, int(id))
		}
		return ids
	}
	s := word
	if m.byteLevel {
		s = ByteLevelString(word)
	}
	var syms []int32
	if id, ok := m.ids[s]; ok && m.ignoreMerges {
		syms = []int32{id}
	} else {
		syms = m.ranks.apply(m.baseIDs(s))
	}
	m.cache.put(word, syms)
	for _, id := range syms {
		ids = append(ids, int(id))
	}
	return ids
}

// baseIDs looks up each character of s (with the prefix after the first and
// the suffix on the last), falling back to its bytes <0xNN> or to the unknown
// token, as the library's BPE::merge_word does.
func (m *hfBPE) baseIDs(s string) []int32 {
	syms := make([]int32, 0, len(s))
	pendingUnk := false // an unknown-token run not yet written (fuse_unk)
	for i := 0; i < len(s); {
		_, w := utf8.DecodeRuneInString(s[i:])
		piece := s[i : i+w]
		if i > 0 {
			piece = m.prefix + piece
		}
		i += w
		if i == len(s) {
			piece += m.suffix
		}
		if id, ok := m.ids[piece]; ok {
			if pendingUnk {
				syms, pendingUnk = append(syms, m.unk), false
			}
			syms = append(syms, id)
			continue
		}
		if m.byteFallback {
			if bytes, ok := m.fallback(piece); ok {
				syms = append(syms, bytes...) // like the library, without flushing a pending unknown
				continue
			}
		}
		if m.unk < 0 {
			continue // no unknown token: the character is dropped
		}
		if pendingUnk && !m.fuseUnk {
			syms = append(syms, m.unk)
		}
		pendingUnk = true
	}
	if pendingUnk {
		syms = append(syms, m.unk)
	}
	return syms
}

// fallback returns the ids of the tokens <0xNN> for the bytes of piece.
func (m *hfBPE) fallback(piece string) ([]int32, bool) {
	out := make([]int32, len(piece))
	for i := 0; i < len(piece); i++ {
		id, ok := m.ids[fmt.Sprintf("<0x%02X>", piece[i])]
		if !ok {
			return nil, false
		}
		out[i] = id
	}
	return out, true
}
