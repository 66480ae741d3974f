package tokenize

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
)

// A Hugging Face tokenizer.json describes a pipeline of five parts, applied in
// order (https://huggingface.co/docs/tokenizers/pipeline):
//
//	added tokens   [CLS], <|endoftext|>, ... are cut out of the text first
//	normalizer     e.g. lower-case, strip accents (BertNormalizer)
//	pre-tokenizer  cut into words (ByteLevel = GPT-2's split, BertPreTokenizer)
//	model          each word into ids (BPE, WordPiece)
//	post-processor add [CLS] ... [SEP] around the ids (TemplateProcessing)
//
// and a decoder for the way back; then truncation and padding (hfbatch.go)
// shape the ids of a batch into rows of one length. This file reads the file
// and runs the pipeline; hfparts.go holds the parts.

// HFTokenizer is a tokenizer loaded from a Hugging Face tokenizer.json. For
// the parts it supports it gives exactly the ids of the Hugging Face
// tokenizers library. It is safe for concurrent use.
type HFTokenizer struct {
	vocab     []string       // id -> token; "" for ids no token has
	ids       map[string]int // token -> id, model vocabulary and added tokens
	rawAdded  specialTokens  // added tokens matched in the original text
	normAdded specialTokens  // added tokens matched after normalization
	special   map[string]bool
	normalize func(string) string        // nil: none
	preSplit  func(string, func(string)) // nil: the whole text is one word
	model     hfModel
	post      template    // the post-processor
	trunc     *Truncation // nil: none
	pad       *Padding    // nil: none
	decode    []func([]string) []string
}

// hfModel turns one pre-token into ids.
type hfModel interface {
	tokenize(word string, ids []int) []int
}

// LoadHF reads a Hugging Face tokenizer.json file.
func LoadHF(path string) (*HFTokenizer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tokenize: %w", err)
	}
	t, err := ParseHF(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// hfFile is the top level of tokenizer.json.
type hfFile struct {
	Version       string          `json:"version"`
	Truncation    json.RawMessage `json:"truncation"`
	Padding       json.RawMessage `json:"padding"`
	AddedTokens   []hfAddedToken  `json:"added_tokens"`
	Normalizer    json.RawMessage `json:"normalizer"`
	PreTokenizer  json.RawMessage `json:"pre_tokenizer"`
	Model         json.RawMessage `json:"model"`
	PostProcessor json.RawMessage `json:"post_processor"`
	Decoder       json.RawMessage `json:"decoder"`
}

type hfAddedToken struct {
	ID         *int   `json:"id"`
	Content    string `json:"content"`
	SingleWord bool   `json:"single_word"`
	LStrip     bool   `json:"lstrip"`
	RStrip     bool   `json:"rstrip"`
	Normalized bool   `json:"normalized"`
	Special    bool   `json:"special"`
}

// ParseHF reads the content of a Hugging Face tokenizer.json. Parts that this
// lesson does not implement give an error naming them.
func ParseHF(data []byte) (*HFTokenizer, error) {
	var f hfFile
	if err := strictJSON(data, &f); err != nil {
		return nil, err
	}
	if isNull(f.Model) {
		return nil, errors.New(`tokenize: tokenizer.json has no "model"`)
	}
	t := &HFTokenizer{ids: map[string]int{}, special: map[string]bool{}}
	var err error
	if t.normalize, err = parseNormalizer(f.Normalizer); err != nil {
		return nil, err
	}
	byteLevel := false
	if t.preSplit, byteLevel, err = parsePreTokenizer(f.PreTokenizer); err != nil {
		return nil, err
	}
	var vocab map[string]int
	if t.model, vocab, err = parseModel(f.Model, byteLevel); err != nil {
		return nil, err
	}
	// Ids index a slice, so they must be dense enough: a stray id of a
	// billion must give an error, not a 16 GB allocation.
	maxID := 2*(len(vocab)+len(f.AddedTokens)) + 1024
	for tok, id := range vocab {
		if id >= maxID {
			return nil, fmt.Errorf("tokenize: tokenizer.json: token %q has the id %d, but the file has only %d tokens", tok, id, len(vocab))
		}
		t.setToken(tok, id)
	}
	for i, a := range f.AddedTokens {
		if a.ID == nil || *a.ID < 0 || *a.ID >= maxID || a.Content == "" {
			return nil, fmt.Errorf("tokenize: tokenizer.json: added_tokens[%d] needs a non-empty content and an id between 0 and %d", i, maxID-1)
		}
		if a.SingleWord || a.LStrip || a.RStrip {
			return nil, fmt.Errorf("tokenize: tokenizer.json: added token %q uses single_word, lstrip or rstrip, which this lesson does not implement", a.Content)
		}
		t.setToken(a.Content, *a.ID)
		if a.Special {
			t.special[a.Content] = true
		}
		if a.Normalized {
			pattern := a.Content
			if t.normalize != nil {
				pattern = t.normalize(pattern)
			}
			t.normAdded.add(pattern, *a.ID)
		} else {
			t.rawAdded.add(a.Content, *a.ID)
		}
	}
	if t.post, err = parsePostProcessor(f.PostProcessor); err != nil {
		return nil, err
	}
	if t.trunc, err = parseTruncation(f.Truncation); err != nil {
		return nil, err
	}
	if err := t.checkTruncation(t.trunc); err != nil {
		return nil, err
	}
	if t.pad, err = parsePadding(f.Padding); err != nil {
		return nil, err
	}
	if t.decode, err = parseDecoder(f.Decoder); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *HFTokenizer) setToken(tok string, id int) {
	if id >= len(t.vocab) {
		t.vocab = append(t.vocab, make([]string, id+1-len(t.vocab))...)
	}
	if old := t.vocab[id]; old != "" && t.ids[old] == id {
		delete(t.ids, old)
	}
	t.vocab[id] = tok
	t.ids[tok] = id
}

// Encode returns the ids of text as the library's encode(text).ids does,
// with the post-processor's special tokens (such as [CLS] and [SEP]) around
// them, cut by the tokenizer's truncation if it has one, but not padded:
// padding makes rows of a batch the same length, see EncodeBatch. (Where
// the library fails, an only_second truncation of a single text that is too
// long, Encode leaves the text whole; EncodeBatch returns the error.)
func (t *HFTokenizer) Encode(text string) []int {
	seqs := [][]int{t.encode(text, make([]int, 0, len(text)/2+1))}
	if t.trunc != nil {
		_ = t.truncate(seqs, true)
	}
	return t.post.ids(t.post.single, seqs)
}

// EncodeNoTemplate returns the ids of text without the post-processor's
// special tokens, like encode(text, add_special_tokens=False): cut at the
// truncation's max_length, if any, with no room kept for special tokens.
func (t *HFTokenizer) EncodeNoTemplate(text string) []int {
	ids := t.encode(text, make([]int, 0, len(text)/2+1))
	if t.trunc == nil {
		return ids
	}
	seqs := [][]int{ids}
	_ = t.truncate(seqs, false)
	return seqs[0]
}

func (t *HFTokenizer) encode(text string, ids []int) []int {
	addWord := func(w string) { ids = t.model.tokenize(w, ids) }
	t.rawAdded.split(text, func(piece string, id int) {
		if id >= 0 {
			ids = append(ids, id)
			return
		}
		if t.normalize != nil {
			piece = t.normalize(piece)
		}
		t.normAdded.split(piece, func(piece string, id int) {
			switch {
			case id >= 0:
				ids = append(ids, id)
			case t.preSplit == nil:
				addWord(piece)
			default:
				t.preSplit(piece, addWord)
			}
		})
	})
	return ids
}

// Decode turns ids back into text like the library's decode(ids): special
// tokens are skipped, then the decoder joins the tokens. One difference: for
// a byte-level tokenizer the library replaces bytes that are not valid UTF-8
// by U+FFFD, while Decode returns them as they are, so that
// Decode(Encode(s)) == s for every s that holds no special token.
func (t *HFTokenizer) Decode(ids []int) string {
	var toks []string
	for _, id := range ids {
		if tok := t.Token(id); tok != "" && !t.special[tok] {
			toks = append(toks, tok)
		}
	}
	if len(t.decode) == 0 {
		return strings.Join(toks, " ")
	}
	for _, d := range t.decode {
		toks = d(toks)
	}
	return strings.Join(toks, "")
}

// Token returns the text of token id as stored in the file ("" if no token
// has that id). Byte-level tokens show GPT-2's characters, such as "Ġthe".
func (t *HFTokenizer) Token(id int) string {
	if id < 0 || id >= len(t.vocab) {
		return ""
	}
	return t.vocab[id]
}

// ID returns the id of a token, or -1.
func (t *HFTokenizer) ID(token string) int {
	if id, ok := t.ids[token]; ok {
		return id
	}
	return -1
}

// VocabSize is the number of distinct tokens, added tokens included (the
// library's get_vocab_size()).
func (t *HFTokenizer) VocabSize() int { return len(t.ids) }

// strictJSON decodes data into v with an error message that says where the
// file is broken.
func strictJSON(data []byte, v any) error {
	err := json.Unmarshal(data, v)
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &syn):
		return fmt.Errorf("tokenize: tokenizer.json is not valid JSON near byte %d (%v); is the file complete?", syn.Offset, err)
	case errors.As(err, &typ):
		return fmt.Errorf("tokenize: tokenizer.json: field %q holds a JSON %s where a %s is expected", typ.Field, typ.Value, typ.Type)
	}
	return fmt.Errorf("tokenize: tokenizer.json: %w", err)
}

func isNull(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s == "" || s == "null"
}

// componentType returns the "type" of one part of the pipeline.
func componentType(raw json.RawMessage, part string) (string, error) {
	var c struct {
		Type string `json:"type"`
	}
	if err := strictJSON(raw, &c); err != nil {
		return "", fmt.Errorf("%w (in the %s)", err, part)
	}
	if c.Type == "" {
		return "", fmt.Errorf(`tokenize: tokenizer.json: the %s has no "type"`, part)
	}
	return c.Type, nil
}

// unsupported is the error for a part this lesson does not implement.
func unsupported(part, typ, supported string) error {
	return fmt.Errorf("tokenize: tokenizer.json uses the %s %q, which this lesson does not implement (supported: %s)", part, typ, supported)
}
