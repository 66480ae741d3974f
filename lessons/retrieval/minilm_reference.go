package retrieval

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

//go:embed testdata/minilm_reference.json
var minilmReferenceJSON []byte

// MiniLMReference is testdata/minilm_reference.json: what
// sentence-transformers (the reference implementation) computes for 12
// sentences with the same model files (testdata/make_minilm_reference.py).
type MiniLMReference struct {
	Versions     map[string]string `json:"versions"`
	MaxSeqLength int               `json:"max_seq_length"`
	Sentences    []struct {
		Text              string    `json:"text"`
		IDs               []int     `json:"ids"`
		UntruncatedLength int       `json:"untruncated_length"`
		Embedding         []float32 `json:"embedding"`
	} `json:"sentences"`
}

// LoadMiniLMReference reads the embedded reference values.
func LoadMiniLMReference() (*MiniLMReference, error) {
	var r MiniLMReference
	if err := json.Unmarshal(minilmReferenceJSON, &r); err != nil {
		return nil, fmt.Errorf("retrieval: testdata/minilm_reference.json: %w", err)
	}
	return &r, nil
}

// MiniLMParity is how this package's MiniLM compares with the reference.
type MiniLMParity struct {
	Sentences, SameIDs int     // sentences, and those tokenized to the reference's ids
	MinCosine          float64 // the lowest cosine between an embedding and the reference's
	MaxAbsDiff         float64 // the largest difference of one embedding value
}

// CompareWithReference tokenizes and embeds the reference sentences.
func (m *MiniLM) CompareWithReference(r *MiniLMReference) (MiniLMParity, error) {
	p := MiniLMParity{Sentences: len(r.Sentences), MinCosine: 1}
	texts := make([]string, len(r.Sentences))
	for i, s := range r.Sentences {
		texts[i] = s.Text
		if slices.Equal(m.Tokenizer().Encode(s.Text), s.IDs) {
			p.SameIDs++
		}
	}
	got, err := m.Embed(texts)
	if err != nil {
		return p, err
	}
	for i, s := range r.Sentences {
		if len(got[i]) != len(s.Embedding) {
			return p, fmt.Errorf("retrieval: embedding %d has %d values, the reference %d", i, len(got[i]), len(s.Embedding))
		}
		p.MinCosine = min(p.MinCosine, cosine(got[i], s.Embedding))
		for j := range got[i] {
			p.MaxAbsDiff = max(p.MaxAbsDiff, math.Abs(float64(got[i][j]-s.Embedding[j])))
		}
	}
	return p, nil
}

// cosine is the cosine of the angle between a and b.
func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return dot / math.Sqrt(na*nb)
}
