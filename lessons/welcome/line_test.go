package welcome

import (
	"fmt"
	"math"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/train/loss"
)

func TestNoisyLineIsDeterministic(t *testing.T) {
	a, b := NoisyLine(DefaultLine), NoisyLine(DefaultLine)
	if a.X[7] != b.X[7] || a.Y[999] != b.Y[999] {
		t.Error("same seed, different points")
	}
	for _, x := range a.X {
		if x < -1 || x >= 1 {
			t.Fatalf("x = %v outside [-1, 1)", x)
		}
	}
}

func TestFitLineFindsTheTruth(t *testing.T) {
	backend := mlx.MustBackend()
	line := NoisyLine(LineSpec{N: 200, Slope: -3, Intercept: 0.5, Noise: 0.05, Seed: 1})
	fit, err := FitLine(backend, line, Config{Steps: 200, LearningRate: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(float64(fit.Slope+3)) > 0.03 || math.Abs(float64(fit.Intercept-0.5)) > 0.01 {
		t.Errorf("fit w=%v b=%v, want -3 and 0.5", fit.Slope, fit.Intercept)
	}
	if h := fit.History; !(h.LastLoss() < h.FirstLoss()/10) {
		t.Errorf("loss did not fall: %v -> %v", h.FirstLoss(), h.LastLoss())
	}
	if _, err := FitLine(backend, Line{X: []float32{1}}, Config{Steps: 1}); err == nil {
		t.Error("mismatched x and y accepted")
	}
}

func ExampleNoisyLine() {
	l := NoisyLine(LineSpec{N: 3, Slope: 2, Intercept: 1, Noise: 0, Seed: 7})
	for i := range l.X {
		fmt.Printf("%.3f -> %.3f\n", l.X[i], l.Y[i])
	}
	// Output:
	// 0.999 -> 2.997
	// 0.256 -> 1.513
	// 0.082 -> 1.163
}

// TestByHandMatchesGoMLX: the hand-written loss and gradient equal what
// GoMLX's loss.MeanSquaredError and graph.Gradient compute.
func TestByHandMatchesGoMLX(t *testing.T) {
	line := NoisyLine(LineSpec{N: 50, Slope: 1.5, Intercept: -0.5, Noise: 0.3, Seed: 3})
	w, b := float32(0.7), float32(0.2)
	exec := graph.MustNewExec(mlx.MustBackend(), func(x, y, wb *graph.Node) []*graph.Node {
		pred := graph.Add(graph.Mul(x, graph.Slice(wb, graph.AxisElem(0))), graph.Slice(wb, graph.AxisElem(1)))
		l := loss.MeanSquaredError([]*graph.Node{y}, []*graph.Node{pred})
		return []*graph.Node{l, graph.Gradient(l, wb)[0]}
	})
	out := exec.MustExec(line.X, line.Y, []float32{w, b})
	wantLoss := out[0].Value().(float32)
	wantGrad := out[1].Value().([]float32)
	pred := make([]float32, len(line.X))
	for i, x := range line.X {
		pred[i] = w*x + b
	}
	if got := MeanSquaredError(pred, line.Y); math.Abs(float64(got-wantLoss)) > 1e-5 {
		t.Errorf("MeanSquaredError = %v, GoMLX %v", got, wantLoss)
	}
	got := LineGradient(w, b, line.X, line.Y)
	for i := range got {
		if math.Abs(float64(got[i]-wantGrad[i])) > 1e-5 {
			t.Errorf("LineGradient = %v, GoMLX %v", got, wantGrad)
		}
	}
}
