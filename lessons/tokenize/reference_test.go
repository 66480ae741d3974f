package tokenize

import (
	"encoding/json"
	"os"
	"testing"
)

// reference is testdata/reference.json, written by testdata/make_reference.py
// with the Hugging Face tokenizers library.
type reference struct {
	TokenizersVersion string         `json:"tokenizers_version"`
	VocabSizes        map[string]int `json:"vocab_sizes"`
	CorpusIDs         map[string]struct {
		Tokens int    `json:"tokens"`
		SHA256 string `json:"sha256"`
	} `json:"corpus_ids"`
	Cases []struct {
		Tokenizer string   `json:"tokenizer"`
		Text      *string  `json:"text"`
		BytesHex  string   `json:"bytes_hex"`
		IDs       []int    `json:"ids"`
		Tokens    []string `json:"tokens"`
		Decoded   *string  `json:"decoded"`
	} `json:"cases"`
	GPT2Pretokens []struct {
		TextHex   string   `json:"text_hex"`
		PiecesHex []string `json:"pieces_hex"`
	} `json:"gpt2_pretokens"`
}

func loadReference(t testing.TB) *reference {
	t.Helper()
	data, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref reference
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	return &ref
}
