package attention

import (
	"math"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// TestHandSoftmaxMatchesGraph: the plain-Go softmax of the notebook's
// exercise gives what the graph's Softmax computes (float32, so within
// 1e-6), on rows that overflow without the max trick and on masked rows.
func TestHandSoftmaxMatchesGraph(t *testing.T) {
	inf := float32(math.Inf(-1))
	rows := [][]float32{{1, 2, 3}, {1000, 1001, 1002}, {-1000, -999, -1002}, {0.5, inf, 2}, {88, 89, 0}}
	exec := graph.MustNewExec(mlx.MustBackend(), Softmax)
	for _, row := range rows {
		want := tensors.MustCopyFlatData[float32](exec.MustExec(tensors.FromValue([][]float32{row}))[0])
		in := make([]float64, len(row))
		for i, v := range row {
			in[i] = float64(v)
		}
		got := HandSoftmax(in)
		sum := 0.0
		for i := range got {
			sum += got[i]
			if math.IsNaN(got[i]) || math.Abs(got[i]-float64(want[i])) > 1e-6 {
				t.Errorf("HandSoftmax(%v) = %v, graph Softmax %v", row, got, want)
				break
			}
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("HandSoftmax(%v) sums to %v", row, sum)
		}
	}
	if w := HandSoftmax([]float64{0.5, math.Inf(-1)}); w[1] != 0 {
		t.Errorf("a masked entry gets weight %v, want exactly 0", w[1])
	}
}

// TestCausalMatrixMatchesCausalMask: the host-side mask equals the graph's.
func TestCausalMatrixMatchesCausalMask(t *testing.T) {
	for _, n := range []int{1, 2, 5} {
		exec := graph.MustNewExec(mlx.MustBackend(), func(g *graph.Graph) *graph.Node { return CausalMask(g, n) })
		want := exec.MustExec()[0].Value().([][]bool)
		got := CausalMatrix(n)
		for i := range n {
			for j := range n {
				if got[i][j] != want[i][j] {
					t.Fatalf("n=%d: CausalMatrix %v, CausalMask %v", n, got, want)
				}
			}
		}
	}
}
