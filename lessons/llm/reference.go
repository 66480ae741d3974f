package llm

import (
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
)

// The reference values: what Hugging Face transformers computes with the
// same GGUF file (testdata/reference.py, run once; testdata/README.md says
// how). The lesson's model must agree with them.
var (
	//go:embed testdata/reference.json
	referenceJSON []byte
	//go:embed testdata/logits.bin
	referenceLogits []byte
)

// Reference is the part of testdata/reference.json the checks read.
type Reference struct {
	Prompts []RefPrompt `json:"prompts"`
	Tokens  []RefText   `json:"tokens"`
}

// RefText is a text and the reference tokenizer's ids for it (no special
// tokens added).
type RefText struct {
	Text string `json:"text"`
	IDs  []int  `json:"ids"`
}

// RefPrompt is one prompt: its ids, transformers' logits at its last
// position (from logits.bin) and its greedy continuation.
type RefPrompt struct {
	Name   string `json:"name"`
	Text   string `json:"text"`
	IDs    []int  `json:"ids"`
	Greedy struct {
		IDs  []int  `json:"ids"`
		Text string `json:"text"`
	} `json:"greedy"`
	Logits []float32 `json:"-"`
}

// LoadReference reads the embedded reference values.
func LoadReference() (*Reference, error) {
	var r Reference
	if err := json.Unmarshal(referenceJSON, &r); err != nil {
		return nil, fmt.Errorf("llm: testdata/reference.json: %w", err)
	}
	n := len(referenceLogits) / 4
	if len(r.Prompts) == 0 || n%len(r.Prompts) != 0 {
		return nil, fmt.Errorf("llm: testdata/logits.bin has %d values for %d prompts", n, len(r.Prompts))
	}
	vocab := n / len(r.Prompts)
	for i := range r.Prompts {
		r.Prompts[i].Logits = make([]float32, vocab)
		for j := range vocab {
			r.Prompts[i].Logits[j] = math.Float32frombits(binary.LittleEndian.Uint32(referenceLogits[4*(i*vocab+j):]))
		}
	}
	return &r, nil
}

// Parity is how one prompt's last-position logits compare with the
// reference's.
type Parity struct {
	Name              string
	MaxAbsDiff        float64
	Top1, RefTop1     int
	GreedySame        int // leading tokens of the greedy continuation that agree
	GreedyLen         int
	Continuation, Ref string
}

// CompareWithReference runs every reference prompt through m: logits
// without a cache, and the greedy continuation with the cache.
func (m *Model) CompareWithReference(r *Reference) ([]Parity, error) {
	var out []Parity
	for _, p := range r.Prompts {
		logits, err := m.Logits(p.IDs)
		if err != nil {
			return nil, err
		}
		last := logits[(len(p.IDs)-1)*m.Vocab:]
		if len(last) != len(p.Logits) {
			return nil, fmt.Errorf("llm: %d logits, the reference has %d", len(last), len(p.Logits))
		}
		q := Parity{Name: p.Name, Top1: argmax(last), RefTop1: argmax(p.Logits), GreedyLen: len(p.Greedy.IDs), Ref: p.Greedy.Text}
		for i := range last {
			q.MaxAbsDiff = max(q.MaxAbsDiff, math.Abs(float64(last[i]-p.Logits[i])))
		}
		g, err := m.Generate(p.IDs, len(p.Greedy.IDs), Greedy())
		if err != nil {
			return nil, err
		}
		for q.GreedySame < min(len(g.Tokens), len(p.Greedy.IDs)) && g.Tokens[q.GreedySame] == p.Greedy.IDs[q.GreedySame] {
			q.GreedySame++
		}
		q.Continuation = m.Tok.Decode(g.Tokens)
		out = append(out, q)
	}
	return out, nil
}

func argmax(x []float32) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}
