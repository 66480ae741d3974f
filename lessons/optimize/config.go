package optimize

import (
	"fmt"
	"math"

	"github.com/baeum-go/baeum/lessons/attention"

	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// Precision is the dtype a run computes in.
type Precision string

// The three precisions of the lesson. BF16 and FP16 keep fp32 master
// weights (MixedPrecision).
const (
	FP32 Precision = "fp32" // IEEE single: 8 exponent bits, 23 mantissa bits
	BF16 Precision = "bf16" // bfloat16: fp32's 8 exponent bits, 7 mantissa bits
	FP16 Precision = "fp16" // IEEE half: 5 exponent bits (largest 65,504), 10 mantissa bits
)

// DType is GoMLX's dtype for p.
func (p Precision) DType() (dtypes.DType, error) {
	switch p {
	case FP32, "":
		return dtypes.Float32, nil
	case BF16:
		return dtypes.BFloat16, nil
	case FP16:
		return dtypes.Float16, nil
	}
	return dtypes.InvalidDType, fmt.Errorf("optimize: unknown precision %q (want %q, %q or %q)", p, FP32, BF16, FP16)
}

// Scheduler gives the learning rate of every training step: Apply puts it
// into the training graph, At computes the same value in Go (for plots).
// transformer.Schedule (warm-up + cosine) and RangeTest are the two.
type Scheduler interface {
	Apply(scope *model.Scope, g *graph.Graph)
	At(step int) float64
}

// RangeTest is the learning-rate range test (Smith 2017, "Cyclical Learning
// Rates for Training Neural Networks"; fast.ai's lr_find): the learning
// rate grows geometrically from Min at step 0 to Max at step Steps, while
// the loss is recorded. The loss falls fastest a little below the rate
// where it starts to climb.
type RangeTest struct {
	Min, Max float64
	Steps    int
}

// At is Min·(Max/Min)^(step/Steps).
func (r RangeTest) At(step int) float64 {
	return r.Min * math.Pow(r.Max/r.Min, float64(step)/float64(r.Steps))
}

// Apply sets GoMLX's learning-rate variable from the global step (the
// number of updates done so far), as At computes it.
func (r RangeTest) Apply(scope *model.Scope, g *graph.Graph) {
	if !scope.IsTraining(g) {
		return
	}
	step := graph.ConvertDType(optimizer.GetGlobalStepVar(scope.Store()).NodeValue(g), dtypes.Float32)
	lr := graph.MulScalar(graph.Exp(graph.MulScalar(step, math.Log(r.Max/r.Min)/float64(r.Steps))), r.Min)
	optimizer.LearningRateVar(scope, dtypes.Float32, r.Min).SetNodeValue(lr)
}

// Config is one training run of the lesson's GPT on Shakespeare.
type Config struct {
	Model       transformer.Config // DecoderOnly; TgtVocab and DType are set by Train
	Batch       int                // sequences per update (split into Accumulate micro-batches)
	Steps       int                // updates
	Schedule    Scheduler          // the learning rate
	WeightDecay float64            // AdamW's decoupled weight decay on the matrices
	Precision   Precision          // FP32, BF16 or FP16
	LossScale   float64            // BF16/FP16: initial dynamic loss scale; 0 means no loss scaling
	GrowEvery   int                // good steps before the loss scale doubles; 0 means 100
	LossFactor  float64            // if > 0, the optimizer sees the loss times LossFactor (1/1024: the gradient magnitudes of a batch of 1,024 times more tokens)
	NoMaster    bool               // BF16/FP16: update the 16-bit weights directly, without fp32 master weights
	Accumulate  int                // micro-batches per update (GoMLX's Trainer.AccumulateGradients); 0 or 1: none
	TrainChars  int                // if > 0, train on only the first TrainChars characters (to overfit on purpose)
	Attend      attention.Attend   // if set, the GPT's self-attention (transformer.DecoderOnlyWith; lesson 13); it must be causal
	EvalBatches int                // batches of Batch sequences for the final train and validation losses
	Points      int                // loss points recorded during training
	Seed        uint64
}

// SmallGPT is lesson 07's GPT made smaller so that the lesson can afford
// many runs: 2 layers, 4 heads, 64 wide, context 64, tied embeddings,
// weights ~ N(0, 0.02²).
func SmallGPT() transformer.Config {
	return transformer.Config{Dim: 64, Heads: 4, DecoderLayers: 2, MLPRatio: 4, MaxLen: 64, InitStd: 0.02, TieEmbeddings: true}
}

// DefaultConfig is the lesson's base run: SmallGPT, batch 16, 300 steps
// (120 with mlx.Quick()), warm-up 30 steps to 3e-3 then cosine to 3e-4,
// fp32, no weight decay.
func DefaultConfig() Config {
	steps := 300
	if mlx.Quick() {
		steps = 120
	}
	return Config{
		Model: SmallGPT(), Batch: 16, Steps: steps,
		Schedule:    transformer.Schedule{LearningRate: 3e-3, MinLR: 3e-4, Warmup: steps / 10, Steps: steps},
		Precision:   FP32,
		EvalBatches: 20, Points: 50, Seed: 11,
	}
}

func (c Config) check() error {
	switch {
	case c.Batch <= 0 || c.Steps <= 0:
		return fmt.Errorf("optimize: Batch and Steps must be positive, got %d and %d", c.Batch, c.Steps)
	case c.Accumulate > 1 && c.Batch%c.Accumulate != 0:
		return fmt.Errorf("optimize: Batch %d does not split into %d micro-batches", c.Batch, c.Accumulate)
	case c.Accumulate > 1 && c.Precision != FP32 && c.Precision != "":
		return fmt.Errorf("optimize: gradient accumulation is only wired for fp32 runs here")
	case c.Schedule == nil:
		return fmt.Errorf("optimize: no learning-rate Schedule")
	case c.LossScale < 0:
		return fmt.Errorf("optimize: LossScale must be 0 (none) or positive, got %g", c.LossScale)
	}
	_, err := c.Precision.DType()
	return err
}
