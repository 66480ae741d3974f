package optimize

import (
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/baeum-go/baeum/mlx/show"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// Run is what one training run measured.
type Run struct {
	Name      string
	Config    Config
	Steps     []float64 // update number of each recorded point
	Loss      []float64 // batch loss there
	LR        []float64 // learning rate there
	Scale     []float64 // loss scale there (runs with LossScale)
	ZeroGrads []float64 // fraction of 16-bit gradient entries that were exactly 0 (BF16, FP16)
	Skipped   int       // updates skipped for an overflow (LossScale)

	TrainLoss, ValLoss float64 // mean cross-entropy (nats/char) on EvalBatches fixed windows of each
	Duration           time.Duration
	StepsPerSec        float64 // updates per second
	Store              *model.Store
}

// Train trains a fresh GPT (cfg.Model, transformer.DecoderOnly) on
// Shakespeare with nanoGPT's AdamW (β₂ 0.99, gradients clipped to norm 1),
// the schedule, precision and accumulation of cfg, showing one live
// progress line, then prints one summary line and returns the run.
func Train(backend compute.Backend, name string, data *pretrain.Shakespeare, cfg Config) (*Run, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	dtype, _ := cfg.Precision.DType()
	mc := cfg.Model
	mc.TgtVocab, mc.DType = data.Vocab.Size(), dtype
	text := data.Train
	if cfg.TrainChars > 0 && cfg.TrainChars < len(text) {
		text = text[:cfg.TrainChars]
	}
	micro := cfg.Batch / max(cfg.Accumulate, 1)
	ds, err := mlx.NewWindows("shakespeare", [][]int32{text}, micro, mc.MaxLen, cfg.Seed)
	if err != nil {
		return nil, err
	}
	store := newStore(cfg.Seed)
	modelFn := func(scope *model.Scope, tokens *graph.Node) *graph.Node {
		cfg.Schedule.Apply(scope, tokens.Graph())
		logits := transformer.DecoderOnlyWith(scope, tokens, mc, cfg.Attend) // nil: lesson 06's masked attention
		return graph.ConvertDType(logits, dtypes.Float32)                    // the loss in fp32 (a no-op for FP32)
	}
	adamW := pretrain.AdamW{Beta2: 0.99, Decay: cfg.WeightDecay, Clip: 1}
	var opt optimizer.Interface = adamW
	if dtype != dtypes.Float32 && !cfg.NoMaster {
		opt = MixedPrecision{Inner: adamW, LossScale: cfg.LossScale, GrowEvery: cfg.GrowEvery}
	}
	if cfg.LossFactor > 0 {
		opt = scaledLoss{opt, cfg.LossFactor}
	}
	defer unfused16Bit(backend, dtype)()
	trainer := train.NewTrainer(backend, store, modelFn, loss.SparseCategoricalCrossEntropyLogits, opt, nil, nil)
	if cfg.Accumulate > 1 {
		if err := trainer.AccumulateGradients(cfg.Accumulate); err != nil {
			return nil, err
		}
	}
	r := &Run{Name: name, Config: cfg, Store: store}
	loop := train.NewLoop(trainer)
	microSteps := cfg.Steps * max(cfg.Accumulate, 1)
	every := max(1, microSteps/max(cfg.Points, 1))
	live := show.NewLive()
	start, lastShown := time.Now(), time.Time{}
	loop.OnStep("optimize.Train", 50, func(loop *train.Loop, metrics []*tensors.Tensor) error {
		done := loop.LoopStep - loop.StartStep + 1
		if done%every == 0 || done == microSteps {
			update := done / max(cfg.Accumulate, 1)
			r.record(update, float64(metrics[0].Value().(float32)))
		}
		if now := time.Now(); now.Sub(lastShown) > 500*time.Millisecond {
			lastShown = now
			live.Update(fmt.Sprintf(`<div style="font-family:monospace">%s: step %d/%d, loss %.3f, %.1f steps/s</div>`,
				name, done, microSteps, metrics[0].Value().(float32), float64(done)/time.Since(start).Seconds()))
		}
		return nil
	})
	if _, err := loop.RunSteps(ds, microSteps); err != nil {
		return nil, fmt.Errorf("optimize.Train %s: stopped at step %d: %w", name, loop.LoopStep, err)
	}
	r.Duration = time.Since(start)
	r.StepsPerSec = float64(cfg.Steps) / r.Duration.Seconds()
	live.Clear()
	if r.Skipped, err = readState(store, "skipped"); err != nil {
		return nil, err
	}
	if r.TrainLoss, err = evalLoss(trainer, text, cfg, mc.MaxLen); err != nil {
		return nil, err
	}
	if r.ValLoss, err = evalLoss(trainer, data.Val, cfg, mc.MaxLen); err != nil {
		return nil, err
	}
	fmt.Printf("%-22s %4d steps in %5.1fs (%5.1f steps/s)  train loss %.3f  validation loss %.3f\n",
		name, cfg.Steps, r.Duration.Seconds(), r.StepsPerSec, r.TrainLoss, r.ValLoss)
	return r, nil
}

// record keeps one point: the loss, and the learning rate and mixed-precision
// state the step ran with.
func (r *Run) record(update int, batchLoss float64) {
	r.Steps = append(r.Steps, float64(update))
	r.Loss = append(r.Loss, batchLoss)
	r.LR = append(r.LR, r.Config.Schedule.At(update-1))
	if r.Config.Precision != FP32 && r.Config.Precision != "" {
		z, _ := readStateFloat(r.Store, "zero_grads")
		r.ZeroGrads = append(r.ZeroGrads, z)
		if r.Config.LossScale > 0 {
			s, _ := readStateFloat(r.Store, "scale")
			r.Scale = append(r.Scale, s)
		}
	}
}

// evalLoss is the mean loss on EvalBatches fixed windows of text.
func evalLoss(trainer *train.Trainer, text []int32, cfg Config, seqLen int) (float64, error) {
	w, err := mlx.NewWindows("eval", [][]int32{text}, cfg.Batch, seqLen, cfg.Seed+1)
	if err != nil {
		return 0, err
	}
	m, err := trainer.Eval(w.Fixed(cfg.EvalBatches, cfg.Seed+1))
	if err != nil {
		return 0, fmt.Errorf("optimize: evaluation: %w", err)
	}
	return float64(m[0].Value().(float32)), nil
}

// readStateFloat reads one of MixedPrecision's state variables (NaN if the
// run has none).
func readStateFloat(store *model.Store, name string) (float64, error) {
	v := store.GetVariable(StateScope + "/" + name)
	if v == nil {
		return math.NaN(), nil
	}
	t, err := v.Value()
	if err != nil {
		return math.NaN(), err
	}
	return float64(t.Value().(float32)), nil
}

func readState(store *model.Store, name string) (int, error) {
	f, err := readStateFloat(store, name)
	if math.IsNaN(f) {
		return 0, err
	}
	return int(f), err
}

// scaledLoss gives its optimizer the loss times factor: the gradients are
// factor times smaller or larger, the loss that the run reports is not.
type scaledLoss struct {
	optimizer.Interface
	factor float64
}

func (s scaledLoss) UpdateGraph(scope *model.Scope, g *graph.Graph, loss *graph.Node) {
	s.Interface.UpdateGraph(scope, g, graph.MulScalar(loss, s.factor))
}

// unfused16Bit makes GoMLX build graphs unfused (GOMLX_FUSION=0) for a
// 16-bit run on a backend other than XLA, and returns the function that
// restores the setting. The pure-Go backend's fused dense layer has no
// 16-bit kernel but only says so when the graph runs, too late for GoMLX to
// fall back to the plain ops (DESIGN.md). XLA fuses on its own and is left
// alone.
func unfused16Bit(backend compute.Backend, dtype dtypes.DType) (restore func()) {
	if dtype == dtypes.Float32 || strings.HasPrefix(backend.Name(), "xla") {
		return func() {}
	}
	old, had := os.LookupEnv(graph.FusionEnv)
	os.Setenv(graph.FusionEnv, "0")
	return func() {
		if had {
			os.Setenv(graph.FusionEnv, old)
		} else {
			os.Unsetenv(graph.FusionEnv)
		}
	}
}
