package pretrain

import (
	"math"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/graph"
)

// TestProbabilities compares Probabilities with GoMLX's softmax of
// logits/temperature (no top-k), with the closed form of a top-2 cut, and
// checks that huge logits give numbers, not NaN.
func TestProbabilities(t *testing.T) {
	logits := []float32{2, 1, 0, -1, 0.5}
	for _, temp := range []float64{0.5, 1, 2} {
		want := graph.MustExecOnce(mlx.MustBackend(), func(x *graph.Node) *graph.Node {
			return graph.Softmax(graph.DivScalar(x, temp))
		}, logits).Value().([]float32)
		got := Probabilities(logits, temp, 0)
		for i := range want {
			if math.Abs(got[i]-float64(want[i])) > 1e-6 {
				t.Errorf("temperature %g: %v, GoMLX's softmax %v", temp, got, want)
				break
			}
		}
	}
	got := Probabilities([]float32{2, 1, 0}, 1, 2) // e/(e+1), 1/(e+1), cut
	if e := math.E; math.Abs(got[0]-e/(e+1)) > 1e-12 || math.Abs(got[1]-1/(e+1)) > 1e-12 || got[2] != 0 {
		t.Errorf("top-2 of [2 1 0]: %v", got)
	}
	got = Probabilities([]float32{1000, 999, 1000}, 1, 1) // a tie at the cut keeps the smaller id
	if got[0] != 1 || got[1] != 0 || got[2] != 0 {
		t.Errorf("top-1 of [1000 999 1000]: %v, want [1 0 0]", got)
	}
	got = Probabilities([]float32{1000, 999}, 1, 0)
	if math.Abs(got[0]-1/(1+math.Exp(-1))) > 1e-12 {
		t.Errorf("[1000 999]: %v, want [0.731 0.269]", got)
	}
}
