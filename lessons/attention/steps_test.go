package attention

import (
	"math"
	"testing"

	"github.com/baeum-go/baeum/mlx"
)

// The worked example of HandAttention's doc, computed on paper:
// S = [1 0]; S/√2 = [0.70711 0]; softmax = [e^0.70711, 1]/(e^0.70711+1)
// = [0.66976 0.33024]; O = 0.66976*[1 2] + 0.33024*[3 4] = [1.66048 2.66048].
func TestHandAttentionByPaper(t *testing.T) {
	s := HandAttention([][]float64{{1, 0}}, [][]float64{{1, 0}, {0, 1}}, [][]float64{{1, 2}, {3, 4}}, nil)
	want := Steps{
		Scores:  [][]float64{{1, 0}},
		Scaled:  [][]float64{{0.70711, 0}},
		Weights: [][]float64{{0.66976, 0.33024}},
		Output:  [][]float64{{1.66048, 2.66048}},
	}
	for name, pair := range map[string][2][][]float64{"scores": {s.Scores, want.Scores}, "scaled": {s.Scaled, want.Scaled},
		"weights": {s.Weights, want.Weights}, "output": {s.Output, want.Output}} {
		if d := MaxAbsDiff(pair[0], pair[1]); d > 1e-5 {
			t.Errorf("%s = %v, want %v", name, pair[0], pair[1])
		}
	}
}

// Example3 is the 3-token example of the notebook.
func TestGraphStepsEqualHand(t *testing.T) {
	q, k, v := ExampleQKV()
	for _, mask := range [][][]bool{nil, CausalMatrix(3), {{true, true, false}, {true, true, false}, {true, true, false}}} {
		hand := HandAttention(q, k, v, mask)
		got, err := GraphSteps(mlx.MustBackend(), q, k, v, mask)
		if err != nil {
			t.Fatal(err)
		}
		for step, d := range Compare(hand, got) {
			if d > 1e-5 {
				t.Errorf("mask %v, step %s: graph and hand differ by %g", mask, step, d)
			}
		}
		for i := range got.Weights {
			sum := 0.0
			for j, w := range got.Weights[i] {
				sum += w
				if mask != nil && !mask[i][j] && w != 0 {
					t.Errorf("mask %v: weight[%d][%d] = %g on a masked key, want exactly 0", mask, i, j, w)
				}
			}
			if math.Abs(sum-1) > 1e-6 {
				t.Errorf("row %d of the weights sums to %g", i, sum)
			}
		}
	}
}

func TestMaxAbsDiff(t *testing.T) {
	inf := math.Inf(-1)
	if d := MaxAbsDiff([][]float64{{1, inf}}, [][]float64{{1.5, inf}}); d != 0.5 {
		t.Errorf("got %g, want 0.5", d)
	}
	if d := MaxAbsDiff([][]float64{{1, inf}}, [][]float64{{1, 0}}); !math.IsInf(d, 1) {
		t.Errorf("infinity against a number: got %g, want +Inf", d)
	}
	if d := MaxAbsDiff([][]float64{{1}}, [][]float64{{1, 2}}); !math.IsInf(d, 1) {
		t.Errorf("shape mismatch: got %g, want +Inf", d)
	}
}
