package transformer

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/baeum-go/baeum/mlx/show"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// Cost is what one DecoderOnly Config costs: computed from the Config
// (parameters, FLOPs per token, memory for the weights and Adam's two
// moments) and measured (time per training step).
type Cost struct {
	Dim, Layers    int
	Params         int
	GFLOPsPerToken float64 // training (forward + backward), TrainFLOPsPerToken / 1e9
	StateMB        float64 // float32 weights + Adam's 2 moments: 12 bytes per parameter
	MsPerStep      float64
	TokensPerSec   float64
	GFLOPsPerSec   float64 // achieved: GFLOPsPerToken × TokensPerSec
}

// MeasureCost trains a DecoderOnly model of Config c on random tokens for
// steps steps (after one step to compile) with batch sequences of seqLen
// tokens, and returns its cost. Timings on a shared CPU are noisy.
func MeasureCost(backend compute.Backend, c Config, batch, seqLen, steps int) (Cost, error) {
	cost := Cost{Dim: c.Dim, Layers: c.DecoderLayers, Params: c.Params(),
		GFLOPsPerToken: c.TrainFLOPsPerToken(seqLen) / 1e9, StateMB: float64(c.Params()) * 12 / 1e6}
	store := model.NewStore()
	trainer := train.NewTrainer(backend, store, func(scope *model.Scope, tokens *graph.Node) *graph.Node {
		return DecoderOnly(scope, tokens, c)
	}, loss.SparseCategoricalCrossEntropyLogits, optimizer.Adam().Done(), nil, nil)
	rng := rand.New(rand.NewPCG(1, 2))
	randomBatch := func() train.Batch {
		x, y := make([]int32, batch*seqLen), make([]int32, batch*seqLen)
		for i := range x {
			x[i], y[i] = int32(rng.IntN(c.TgtVocab)), int32(rng.IntN(c.TgtVocab))
		}
		return train.Batch{Inputs: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(x, batch, seqLen)},
			Labels: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(y, batch, seqLen, 1)}}
	}
	if _, err := trainer.TrainStep(randomBatch()); err != nil { // compiles
		return cost, fmt.Errorf("transformer.MeasureCost: %w", err)
	}
	start := time.Now()
	for range steps {
		if _, err := trainer.TrainStep(randomBatch()); err != nil {
			return cost, fmt.Errorf("transformer.MeasureCost: %w", err)
		}
	}
	sec := time.Since(start).Seconds() / float64(steps)
	cost.MsPerStep = 1000 * sec
	cost.TokensPerSec = float64(batch*seqLen) / sec
	cost.GFLOPsPerSec = cost.GFLOPsPerToken * cost.TokensPerSec
	return cost, nil
}

// ShowCosts draws the costs as a table, and time per step against
// parameters as a plot, beside the line time ∝ FLOPs.
func ShowCosts(costs []Cost) {
	rows := make([][]string, len(costs))
	for i, c := range costs {
		rows[i] = []string{fmt.Sprint(c.Dim), fmt.Sprint(c.Layers), fmt.Sprintf("%.2fM", float64(c.Params)/1e6),
			fmt.Sprintf("%.4f", c.GFLOPsPerToken), fmt.Sprintf("%.1f", c.StateMB), fmt.Sprintf("%.1f", c.MsPerStep),
			fmt.Sprintf("%.0f", c.TokensPerSec), fmt.Sprintf("%.1f", c.GFLOPsPerSec)}
	}
	show.Table([]string{"width d", "layers", "parameters", "GFLOPs/token (train)", "weights+Adam MB", "ms/step",
		"tokens/s", "achieved GFLOP/s"}, rows)
	// If time were proportional to the FLOPs, ms = k·FLOPs; k fitted by least squares.
	sorted := slices.Clone(costs)
	slices.SortFunc(sorted, func(a, b Cost) int { return a.Params - b.Params })
	num, den := 0.0, 0.0
	for _, c := range sorted {
		num, den = num+c.MsPerStep*c.GFLOPsPerToken, den+c.GFLOPsPerToken*c.GFLOPsPerToken
	}
	measured, ideal := show.Series{Name: "measured"}, show.Series{Name: "proportional to FLOPs"}
	for _, c := range sorted {
		x := float64(c.Params) / 1e6
		measured.X, measured.Y = append(measured.X, x), append(measured.Y, c.MsPerStep)
		ideal.X, ideal.Y = append(ideal.X, x), append(ideal.Y, num/den*c.GFLOPsPerToken)
	}
	show.Lines(show.Plot{Title: "time per training step vs parameters", XLabel: "parameters (millions)", YLabel: "ms per step"},
		measured, ideal)
}

// ScalingConfigs are the DecoderOnly models the notebook measures: three
// widths at depth 2, then depths 4 and 8 at width 128.
func ScalingConfigs(vocab, seqLen int) []Config {
	var cs []Config
	for _, dl := range [][2]int{{64, 2}, {128, 2}, {256, 2}, {128, 4}, {128, 8}} {
		cs = append(cs, Config{TgtVocab: vocab, Dim: dl[0], Heads: 4, DecoderLayers: dl[1], MLPRatio: 4, MaxLen: seqLen})
	}
	return cs
}
