package llm

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Inside is one pass of the model over a text, with what it computed
// along the way: the next-token logits at every position and one layer's
// attention weights.
type Inside struct {
	IDs     []int
	Tokens  []string    // the token of each id, as the vocabulary spells it
	Logits  []float32   // [len(IDs)·Vocab]
	Weights [][]float32 // per query head, [len(IDs)·len(IDs)]: row i is where position i looked
}

// Look runs text (no chat template) through the model and keeps layer's
// attention weights.
func (m *Model) Look(text string, layer int) (*Inside, error) {
	if layer < 0 || layer >= m.Layers {
		return nil, fmt.Errorf("llm.Look: layer %d, the model has 0-%d", layer, m.Layers-1)
	}
	ids := m.Tok.Encode(text)
	n := len(ids)
	if n == 0 {
		return nil, fmt.Errorf("llm.Look: empty text")
	}
	padded := make([]int32, (n+prefillBucket-1)/prefillBucket*prefillBucket)
	copy(padded, toInt32(ids))
	e, err := execOf(m, fmt.Sprintf("look-%d", layer), func(scope *model.Scope, tokens *Node) []*Node {
		logits, _, w := m.Forward(scope, tokens, ScalarZero(tokens.Graph(), dtypes.Int32), nil, map[int]bool{layer: true})
		return []*Node{logits, w[layer]}
	})
	if err != nil {
		return nil, err
	}
	out, err := e.Exec(tensors.FromFlatDataAndDimensions(padded, 1, len(padded)))
	if err != nil {
		return nil, fmt.Errorf("llm.Look: %w", err)
	}
	in := &Inside{IDs: ids, Logits: tensors.MustCopyFlatData[float32](out[0])[:n*m.Vocab]}
	for _, id := range ids {
		in.Tokens = append(in.Tokens, m.Tok.Token(id))
	}
	w, P := tensors.MustCopyFlatData[float32](out[1]), len(padded) // [1, heads, P, P]
	for h := range m.Heads {
		head := make([]float32, n*n)
		for i := range n {
			copy(head[i*n:(i+1)*n], w[(h*P+i)*P:(h*P+i)*P+n])
		}
		in.Weights = append(in.Weights, head)
	}
	return in, nil
}
