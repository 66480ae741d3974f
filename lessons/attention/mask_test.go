package attention

import (
	"math/rand/v2"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// TestMasksHideFutureAndPadding checks numerically that, with a causal mask
// combined with a padding mask, (1) every weight on a later position or a
// padding position is exactly 0, and (2) changing the keys and values at
// those positions changes no output of the positions that may not see them.
func TestMasksHideFutureAndPadding(t *testing.T) {
	backend := mlx.MustBackend()
	const batch, n, d = 2, 5, 4
	valid := [][]bool{{true, true, true, true, true}, {true, true, true, false, false}} // 2nd sequence: 2 pads
	rng := rand.New(rand.NewPCG(5, 6))
	random := func() []float32 {
		x := make([]float32, batch*n*d)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		return x
	}
	q, k, v := random(), random(), random()
	exec := graph.MustNewExec(backend, func(q, k, v, valid *graph.Node) []*graph.Node {
		mask := AndMasks(CausalMask(q.Graph(), n), PaddingMask(valid)) // [batch, q, k]
		mask.AssertDims(batch, n, n)
		out, w := ScaledDotProductAttention(q, k, v, mask)
		return []*graph.Node{out, w}
	})
	run := func(k, v []float32) (out, w []float32) {
		res := exec.MustExec(tensors.FromFlatDataAndDimensions(q, batch, n, d), tensors.FromFlatDataAndDimensions(k, batch, n, d),
			tensors.FromFlatDataAndDimensions(v, batch, n, d), tensors.FromValue(valid))
		return tensors.MustCopyFlatData[float32](res[0]), tensors.MustCopyFlatData[float32](res[1])
	}
	out, w := run(k, v)
	for b := range batch {
		for i := range n {
			for j := range n {
				if hidden := j > i || !valid[b][j]; hidden && w[(b*n+i)*n+j] != 0 {
					t.Errorf("batch %d: query %d gives weight %g to hidden key %d", b, i, w[(b*n+i)*n+j], j)
				}
			}
		}
	}
	// Scramble the last key/value of every sequence (the future for all but the last query,
	// a pad for sequence 1) and the 4th of sequence 1 (a pad).
	k2, v2 := append([]float32(nil), k...), append([]float32(nil), v...)
	for _, pos := range [][2]int{{0, 4}, {1, 4}, {1, 3}} {
		for c := range d {
			i := (pos[0]*n+pos[1])*d + c
			k2[i], v2[i] = k2[i]+5, v2[i]-7
		}
	}
	out2, _ := run(k2, v2)
	for b := range batch {
		for i := range n {
			for c := range d {
				idx := (b*n+i)*d + c
				seesChange := b == 0 && i == 4
				if !seesChange && out[idx] != out2[idx] {
					t.Errorf("batch %d query %d changed (%g -> %g) although the changed keys are hidden from it", b, i, out[idx], out2[idx])
				}
				if seesChange && out[idx] == out2[idx] && c == 0 {
					t.Errorf("batch 0 query 4 sees key 4 but its output did not change")
				}
			}
		}
	}
}
