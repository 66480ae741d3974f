package welcome

import (
	"fmt"
	"math"
	"testing"

	"github.com/baeum-go/baeum/mlx"
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
