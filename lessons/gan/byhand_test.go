package gan

import (
	"math"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	. "github.com/gomlx/gomlx/core/graph"
)

// TestByHandLossesMatchGoMLX: the plain-Go losses equal the graph losses
// the trainers minimize (discriminatorLoss, generatorLoss), from ordinary
// logits to ones large enough to overflow a naive e^x or ln σ(x).
func TestByHandLossesMatchGoMLX(t *testing.T) {
	real := []float64{2.5, -0.3, 0, 40, -90}
	fake := []float64{-1.2, 0.7, 3, -60, 95}
	logits := make([]float32, 0, len(real)+len(fake)) // real first, then fake, as discriminatorStep
	for _, x := range append(append([]float64{}, real...), fake...) {
		logits = append(logits, float32(x))
	}
	both := func(x *Node) *Node { return Reshape(x, len(logits), 1) }
	wantD := MustExecOnce(mlx.MustBackend(), func(x *Node) *Node {
		return discriminatorLoss(nil, []*Node{both(x)})
	}, logits).Value().(float32)
	wantG := MustExecOnce(mlx.MustBackend(), func(x *Node) *Node {
		return generatorLoss(nil, []*Node{Reshape(x, len(fake), 1)})
	}, logits[len(real):]).Value().(float32)
	near := func(got float64, want float32) bool {
		return math.Abs(got-float64(want)) <= 1e-5*max(1, math.Abs(got))
	}
	if got := DiscriminatorLoss(real, fake); !near(got, wantD) {
		t.Errorf("DiscriminatorLoss = %v, GoMLX %v", got, wantD)
	}
	if got := GeneratorLoss(fake); !near(got, wantG) {
		t.Errorf("GeneratorLoss = %v, GoMLX %v", got, wantG)
	}
	if got := GeneratorLoss([]float64{-1000}); got != 1000 {
		t.Errorf("GeneratorLoss(-1000) = %v, want 1000 (no overflow)", got)
	}
}
