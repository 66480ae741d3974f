package attention

import (
	"fmt"
	"math/rand/v2"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// ExampleQKV returns the small example the notebook computes by hand: three
// tokens with 2-dimensional queries and keys and 2-dimensional values, chosen
// so that every step has round-ish numbers.
func ExampleQKV() (q, k, v [][]float64) {
	q = [][]float64{{1, 0}, {0, 1}, {1, 1}}
	k = [][]float64{{1, 0}, {0, 1}, {1, -1}}
	v = [][]float64{{1, 0}, {0, 1}, {2, 2}}
	return q, k, v
}

// CausalMatrix is CausalMask on the host, as [n][n] booleans:
// mask[i][j] = j <= i (position i may attend to itself and the past).
//
//	n=3 -> [[true false false] [true true false] [true true true]]
func CausalMatrix(n int) [][]bool {
	m := make([][]bool, n)
	for i := range m {
		m[i] = make([]bool, n)
		for j := 0; j <= i; j++ {
			m[i][j] = true
		}
	}
	return m
}

// MaskExample computes the attention weights of one random 5-token
// sequence whose last pads tokens are padding, four ways: with no mask,
// the padding mask, the causal mask, and both. The notebook draws them.
func MaskExample(backend compute.Backend, pads int, seed uint64) (map[string][][]float64, error) {
	const n, d = 5, 4
	if pads < 0 || pads >= n {
		return nil, fmt.Errorf("attention.MaskExample: pads must be in [0, %d), got %d", n, pads)
	}
	rng := rand.New(rand.NewPCG(seed, 3))
	x := make([]float32, n*d)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	valid := make([]bool, n)
	for i := range n - pads {
		valid[i] = true
	}
	exec, err := graph.NewExec(backend, func(x, valid *graph.Node) []*graph.Node {
		causal, padding := CausalMask(x.Graph(), n), PaddingMask(valid) // [q, k], [1, 1, k]
		var out []*graph.Node
		for _, mask := range []*graph.Node{nil, padding, causal, AndMasks(causal, padding)} {
			_, w := ScaledDotProductAttention(x, x, x, mask) // self-attention with Q = K = V = x
			out = append(out, graph.Reshape(w, n, n))
		}
		return out
	})
	if err != nil {
		return nil, err
	}
	res, err := exec.Exec(tensors.FromFlatDataAndDimensions(x, 1, n, d), tensors.FromValue([][]bool{valid}))
	if err != nil {
		return nil, fmt.Errorf("attention.MaskExample: %w", err)
	}
	m := map[string][][]float64{}
	for i, name := range []string{"no mask", "padding", "causal", "causal + padding"} {
		m[name] = toGrid(res[i])
	}
	return m, nil
}
