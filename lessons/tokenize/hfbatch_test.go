package tokenize

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/mlx"
)

// batchReference is testdata/batch_reference.json, written by
// testdata/make_batch_reference.py with the tokenizers library.
type batchReference struct {
	TokenizersVersion string      `json:"tokenizers_version"`
	Texts             []string    `json:"texts"`
	Pairs             [][2]string `json:"pairs"`
	Variants          []struct {
		Name            string          `json:"name"`
		Base            string          `json:"base"` // a file of testdata, or "minilm"
		Truncation      json.RawMessage `json:"truncation"`
		Padding         json.RawMessage `json:"padding"`
		PostProcessor   json.RawMessage `json:"post_processor"`
		Encode          []refEncoding   `json:"encode"`
		EncodeNoSpecial []refEncoding   `json:"encode_no_special"`
		EncodePair      []refEncoding   `json:"encode_pair"` // absent where pairs are left out
		Batch           refBatch        `json:"batch"`
		BatchPairs      *refBatch       `json:"batch_pairs"`
	} `json:"variants"`
}

// refEncoding is one encoding of the library, or the error it raised.
type refEncoding struct {
	Encoding
	Error string `json:"error"`
}

func (r *refEncoding) UnmarshalJSON(data []byte) error {
	var c struct {
		IDs           []int  `json:"ids"`
		TypeIDs       []int  `json:"type_ids"`
		AttentionMask []int  `json:"attention_mask"`
		Error         string `json:"error"`
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return err
	}
	*r = refEncoding{Encoding{c.IDs, c.TypeIDs, c.AttentionMask}, c.Error}
	return nil
}

// refBatch is encode_batch's list of encodings, or its error.
type refBatch struct {
	Rows  []refEncoding
	Error string
}

func (b *refBatch) UnmarshalJSON(data []byte) error {
	if err := json.Unmarshal(data, &b.Rows); err == nil {
		return nil
	}
	var e struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(data, &e); err != nil || e.Error == "" {
		return fmt.Errorf("batch is neither a list of encodings nor an error: %.60s", data)
	}
	b.Error = e.Error
	return nil
}

// tokens returns the ids of e without its padding (attention mask 0).
func (e Encoding) tokens() []int {
	var out []int
	for i, id := range e.IDs {
		if e.AttentionMask[i] == 1 {
			out = append(out, id)
		}
	}
	return out
}

func (e Encoding) String() string {
	return fmt.Sprintf("ids %v types %v mask %v", e.IDs, e.TypeIDs, e.AttentionMask)
}

func equalEncodings(a, b Encoding) bool {
	return slices.Equal(a.IDs, b.IDs) && slices.Equal(a.TypeIDs, b.TypeIDs) && slices.Equal(a.AttentionMask, b.AttentionMask)
}

// TestHFBatchParity compares truncation and padding with the library's, for
// tokenizers of testdata given other settings, and for all-MiniLM-L6-v2's
// tokenizer.json as its file has it and as sentence-transformers sets it
// (skipped when that model is not installed).
func TestHFBatchParity(t *testing.T) {
	data, err := os.ReadFile("testdata/batch_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref batchReference
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Variants) < 10 {
		t.Fatalf("batch_reference.json has %d variants, want the 11 make_batch_reference.py writes", len(ref.Variants))
	}
	for _, v := range ref.Variants {
		t.Run(v.Name, func(t *testing.T) {
			path := filepath.Join("testdata", v.Base)
			if v.Base == "minilm" {
				if path, err = mlx.ModelFile(mlx.MiniLM, mlx.MiniLMTokenizer); err != nil {
					t.Skip("all-MiniLM-L6-v2 is not installed:", err)
				}
			}
			base, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var file map[string]json.RawMessage
			if err := json.Unmarshal(base, &file); err != nil {
				t.Fatal(err)
			}
			file["truncation"], file["padding"], file["post_processor"] = v.Truncation, v.Padding, v.PostProcessor
			changed, _ := json.Marshal(file)
			tok, err := ParseHF(changed)
			if err != nil {
				t.Fatal(err)
			}
			for i, text := range ref.Texts {
				checkRow(t, fmt.Sprintf("EncodeBatch([%.20q])", text), v.Encode[i], func() ([]Encoding, error) { return tok.EncodeBatch([]string{text}) })
				if want := v.Encode[i]; want.Error == "" && !slices.Equal(tok.Encode(text), want.tokens()) {
					t.Errorf("Encode(%.20q) = %v, library %v", text, tok.Encode(text), want.tokens())
				}
				if want := v.EncodeNoSpecial[i]; want.Error == "" && !slices.Equal(tok.EncodeNoTemplate(text), want.tokens()) {
					t.Errorf("EncodeNoTemplate(%.20q) = %v, library %v", text, tok.EncodeNoTemplate(text), want.tokens())
				}
			}
			checkBatch(t, "EncodeBatch(texts)", v.Batch, func() ([]Encoding, error) { return tok.EncodeBatch(ref.Texts) })
			if v.BatchPairs == nil {
				// The library leaves these pairs whole; Go refuses them.
				if _, err := tok.EncodePairs(ref.Pairs); err == nil || !strings.Contains(err.Error(), "special tokens of a pair") {
					t.Errorf("EncodePairs with max_length below the pair's special tokens: err = %v", err)
				}
				return
			}
			for i, p := range ref.Pairs {
				checkRow(t, fmt.Sprintf("EncodePairs([%.20q, %.20q])", p[0], p[1]), v.EncodePair[i], func() ([]Encoding, error) { return tok.EncodePairs([][2]string{p}) })
			}
			checkBatch(t, "EncodePairs(pairs)", *v.BatchPairs, func() ([]Encoding, error) { return tok.EncodePairs(ref.Pairs) })
		})
	}
}

// checkRow compares a batch of one with the library's encode.
func checkRow(t *testing.T, call string, want refEncoding, f func() ([]Encoding, error)) {
	t.Helper()
	checkBatch(t, call, refBatch{Rows: []refEncoding{want}, Error: want.Error}, f)
}

func checkBatch(t *testing.T, call string, want refBatch, f func() ([]Encoding, error)) {
	t.Helper()
	got, err := f()
	switch {
	case want.Error != "":
		if err == nil {
			t.Errorf("%s: no error, library: %s", call, want.Error)
		}
		return
	case err != nil:
		t.Errorf("%s: %v", call, err)
		return
	case len(got) != len(want.Rows):
		t.Errorf("%s: %d rows, library %d", call, len(got), len(want.Rows))
		return
	}
	for i := range got {
		if !equalEncodings(got[i], want.Rows[i].Encoding) {
			t.Errorf("%s row %d:\n got %v\nwant %v", call, i, got[i], want.Rows[i].Encoding)
		}
	}
}

// TestHFWithTruncation: a copy with other settings leaves the original as
// it was, and settings the library mishandles are refused.
func TestHFWithTruncation(t *testing.T) {
	tok := loadHFTestdata(t, "wordpiece_uncased.json") // [CLS] $A [SEP]
	const text = "hello world how are you doing today"
	long := tok.Encode(text)
	short, err := tok.WithTruncation(&Truncation{MaxLength: 5, Strategy: LongestFirst, Direction: DirectionLeft})
	if err != nil {
		t.Fatal(err)
	}
	if got := short.Encode(text); len(got) != 5 || got[0] != long[0] || !slices.Equal(got[1:], long[len(long)-4:]) {
		t.Errorf("left truncation to 5 = %v, from %v", got, long)
	}
	if !slices.Equal(tok.Encode(text), long) || tok.Truncation() != nil {
		t.Error("WithTruncation changed the original tokenizer")
	}
	if tr := short.Truncation(); tr == nil || tr.MaxLength != 5 {
		t.Errorf("Truncation() = %+v", tr)
	}
	for _, bad := range []Truncation{
		{MaxLength: 1, Strategy: LongestFirst, Direction: DirectionRight},            // below [CLS] [SEP]
		{MaxLength: 6, Stride: 4, Strategy: LongestFirst, Direction: DirectionRight}, // stride 4 >= 6 - 2
		{MaxLength: 6, Strategy: "Middle", Direction: DirectionRight},
		{MaxLength: 6, Strategy: OnlyFirst, Direction: "Up"},
	} {
		if _, err := tok.WithTruncation(&bad); err == nil {
			t.Errorf("WithTruncation(%+v) gave no error", bad)
		}
	}
	padded, err := tok.WithPadding(&Padding{Strategy: Fixed, Length: 8, Direction: DirectionRight, PadID: 0})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := padded.EncodeBatch([]string{"hello", ""})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{1, 1, 0, 0, 0, 0, 0, 0}; !slices.Equal(rows[1].AttentionMask, want) || len(rows[0].IDs) != 8 {
		t.Errorf("Fixed(8) padding of an empty text: %v", rows[1])
	}
	if _, err := tok.WithPadding(&Padding{Strategy: "Longest", Direction: DirectionRight}); err == nil {
		t.Error("WithPadding with an unknown strategy gave no error")
	}
}
