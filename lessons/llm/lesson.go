package llm

import (
	"fmt"
	"slices"

	"github.com/baeum-go/baeum/mlx/show"
)

// OpenModel opens the GGUF file that `go run ./kernel setup` installed.
func OpenModel() (*File, error) {
	path, err := ModelPath()
	if err != nil {
		return nil, err
	}
	return Open(path)
}

// SampleBlocks returns the first n blocks of a Q4_1 tensor, 20 bytes each.
func SampleBlocks(f *File, name string, n int) ([][]byte, error) {
	t, err := f.Tensor(name)
	if err != nil {
		return nil, err
	}
	if t.Type != Q4_1 {
		return nil, fmt.Errorf("llm.SampleBlocks: %s is %v, not Q4_1", name, t.Type)
	}
	raw, err := f.Raw(t)
	if err != nil {
		return nil, err
	}
	var blocks [][]byte
	for b := 0; b < n && (b+1)*Q4_1Bytes <= len(raw); b++ {
		blocks = append(blocks, raw[b*Q4_1Bytes:(b+1)*Q4_1Bytes])
	}
	return blocks, nil
}

// TokenParity encodes every text of the reference with tok and counts the
// texts whose ids equal the reference tokenizer's; mismatch names the
// first text that differs.
func TokenParity(tok *Tokenizer, r *Reference) (same, total int, mismatch string) {
	texts := slices.Clone(r.Tokens)
	for _, p := range r.Prompts {
		texts = append(texts, RefText{p.Text, p.IDs})
	}
	for _, t := range texts {
		if slices.Equal(tok.Encode(t.Text), t.IDs) {
			same++
		} else if mismatch == "" {
			mismatch = t.Text
		}
	}
	return same, len(texts), mismatch
}

// ShowParity displays CompareWithReference's results as a table.
func ShowParity(ps []Parity) {
	var rows [][]string
	for _, p := range ps {
		rows = append(rows, []string{p.Name, fmt.Sprintf("%.1e", p.MaxAbsDiff), fmt.Sprint(p.Top1 == p.RefTop1),
			fmt.Sprintf("%d of %d", p.GreedySame, p.GreedyLen), fmt.Sprintf("%q", p.Continuation)})
	}
	show.Table([]string{"prompt", "largest |logit − transformers'|", "same top-1", "greedy tokens equal", "continuation (this model)"}, rows)
}

// Ask puts a question in the model's chat format and generates the answer.
func (m *Model) Ask(question string, n int, s *Sampler) (*Generation, error) {
	prompt := m.Tok.Encode(m.Tok.ChatPrompt([]Message{{Role: "user", Content: question}}, true))
	return m.Generate(prompt, n, s)
}
