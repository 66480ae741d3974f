package welcome

import (
	"fmt"
	"math/rand/v2"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/dataset"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// LineSpec says how to draw the noisy points.
type LineSpec struct {
	N                int     // number of points
	Slope, Intercept float32 // the truth the fit should find
	Noise            float32 // standard deviation of the Gaussian noise on y
	Seed             uint64
}

// DefaultLine is the line of the notebook: y = 2.5x - 1.5 with noise 0.1.
var DefaultLine = LineSpec{N: 1000, Slope: 2.5, Intercept: -1.5, Noise: 0.1, Seed: 42}

// Line is a set of points (X[i], Y[i]) and the line they were drawn from.
type Line struct {
	LineSpec
	X, Y []float32
}

// NoisyLine draws spec.N points with x uniform in [-1, 1).
func NoisyLine(spec LineSpec) Line {
	rng := rand.New(rand.NewPCG(spec.Seed, 0))
	l := Line{LineSpec: spec, X: make([]float32, spec.N), Y: make([]float32, spec.N)}
	for i := range l.X {
		l.X[i] = 2*rng.Float32() - 1
		l.Y[i] = spec.Slope*l.X[i] + spec.Intercept + spec.Noise*float32(rng.NormFloat64())
	}
	return l
}

// Config is the training budget.
type Config struct {
	Steps        int     // gradient descent steps over the whole set
	LearningRate float64 // SGD step size
}

// Fit is the result of FitLine.
type Fit struct {
	Slope, Intercept float32
	History          *mlx.History
}

// Model is the whole model: one dense unit, w*x + b.
// inputs[0] is [batch, 1]; the output is [batch, 1].
func Model(scope *model.Scope, _ any, inputs []*Node) []*Node {
	return []*Node{layers.Dense(scope, inputs[0], true, 1)}
}

// FitLine fits w and b to the points by full-batch gradient descent with
// GoMLX's trainer and training loop.
func FitLine(backend compute.Backend, line Line, cfg Config) (*Fit, error) {
	if len(line.X) == 0 || len(line.X) != len(line.Y) {
		return nil, fmt.Errorf("welcome.FitLine: need as many x as y values, got %d and %d", len(line.X), len(line.Y))
	}
	x := make([][]float32, len(line.X))
	y := make([][]float32, len(line.Y))
	for i := range x {
		x[i], y[i] = []float32{line.X[i]}, []float32{line.Y[i]}
	}
	ds, err := dataset.InMemoryFromData(backend, "line", []any{x}, []any{y})
	if err != nil {
		return nil, err
	}
	ds.Infinite(true).BatchSize(len(x), false)
	store := model.NewStore()
	trainer := train.NewTrainer(backend, store, Model, loss.MeanSquaredError,
		optimizer.StochasticGradientDescent().WithLearningRate(cfg.LearningRate).WithDecay(false).Done(), nil, nil)
	hist, err := mlx.Fit(train.NewLoop(trainer), ds, cfg.Steps, 50)
	if err != nil {
		return nil, err
	}
	w := store.GetVariable("/dense/weights").MustValue().Value().([][]float32)
	b := store.GetVariable("/dense/biases").MustValue().Value().([]float32)
	return &Fit{Slope: w[0][0], Intercept: b[0], History: hist}, nil
}
