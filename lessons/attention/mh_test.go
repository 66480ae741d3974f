package attention

import (
	"testing"

	"github.com/baeum-go/baeum/mlx"
)

func TestMultiHeadEqualsGoMLX(t *testing.T) {
	batch, seq := 2, 5
	mask := make([][][]bool, batch)
	for b := range mask {
		mask[b] = CausalMatrix(seq)
	}
	mask[1][4][0] = false // an arbitrary extra hole
	for _, m := range [][][][]bool{nil, mask} {
		c, err := CompareWithGoMLX(mlx.MustBackend(), batch, seq, 8, 2, m, 1)
		if err != nil {
			t.Fatal(err)
		}
		if c.MaxOutputDiff > 1e-5 || c.MaxWeightDiff > 1e-6 {
			t.Errorf("mine and GoMLX's differ: outputs by %g, weights by %g", c.MaxOutputDiff, c.MaxWeightDiff)
		}
		if len(c.Variables) != 8 {
			t.Errorf("want 8 shared variables (4 weights, 4 biases), got %v", c.Variables)
		}
		t.Log(c.Variables, c.Mine, c.Theirs)
	}
}
