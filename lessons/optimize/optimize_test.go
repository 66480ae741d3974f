package optimize

import (
	"math"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/dtypes/bfloat16"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// tiny is a Shakespeare-like text and a GPT small enough for unit tests.
func tiny(t *testing.T) (*pretrain.Shakespeare, transformer.Config) {
	t.Helper()
	text := strings.Repeat("To be, or not to be, that is the question. ", 60)
	v := tokenize.NewCharVocab(text, 0)
	ids, err := v.Encode(text)
	if err != nil {
		t.Fatal(err)
	}
	cut := len(ids) * 9 / 10
	return &pretrain.Shakespeare{Vocab: v, Train: ids[:cut], Val: ids[cut:]},
		transformer.Config{Dim: 16, Heads: 2, DecoderLayers: 1, MLPRatio: 2, MaxLen: 8, InitStd: 0.02, TieEmbeddings: true}
}

func tinyConfig(mc transformer.Config, steps int) Config {
	return Config{Model: mc, Batch: 4, Steps: steps, Schedule: transformer.Schedule{LearningRate: 1e-2},
		EvalBatches: 2, Points: steps, Seed: 1}
}

func TestAccumulatedGradientsEqualBigBatch(t *testing.T) {
	data, mc := tiny(t)
	a, err := CheckAccumulation(mlx.MustBackend(), data, mc, 4, 2, 5)
	if err != nil {
		t.Fatal(err)
	}
	if a.MaxGrad == 0 || a.MaxGradDiff > 1e-5 {
		t.Errorf("gradients: max |diff| %g (max |g| %g), want ≤ 1e-5 and a nonzero gradient", a.MaxGradDiff, a.MaxGrad)
	}
	if a.MaxWeightDiff > 1e-5 {
		t.Errorf("weights after one update differ by %g", a.MaxWeightDiff)
	}
	if _, err := CheckAccumulation(mlx.MustBackend(), data, mc, 1, 2, 5); err == nil {
		t.Error("k = 1 accepted")
	}
}

func TestNextLossScale(t *testing.T) {
	for _, c := range []struct {
		scale     float64
		good      int
		overflow  bool
		wantScale float64
		wantGood  int
	}{
		{1024, 0, false, 1024, 1},
		{1024, 99, false, 2048, 0},
		{1024, 42, true, 512, 0},
		{1, 5, true, 1, 0}, // never below 1
	} {
		s, g := NextLossScale(c.scale, c.good, c.overflow, 100)
		if s != c.wantScale || g != c.wantGood {
			t.Errorf("NextLossScale(%g, %d, %v) = %g, %d; want %g, %d", c.scale, c.good, c.overflow, s, g, c.wantScale, c.wantGood)
		}
	}
}

// TestLossScaleBackOffAndGrowth runs fp16 training twice: with a scale so
// large that every gradient overflows (each update skipped, the scale
// halving each time), and with a small one that doubles every 2 steps.
func TestLossScaleBackOffAndGrowth(t *testing.T) {
	if err := Supported(mlx.MustBackend(), FP16); err != nil {
		t.Skip(err)
	}
	data, mc := tiny(t)
	cfg := tinyConfig(mc, 3)
	cfg.Precision, cfg.LossScale = FP16, math.Ldexp(1, 100) // a power of two: halving is exact in float32
	r, err := Train(mlx.MustBackend(), "overflow", data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r.Skipped != 3 || r.Scale[2] != math.Ldexp(1, 97) {
		t.Errorf("skipped %d updates (want 3), scale after 3 steps %g (want 2^97)", r.Skipped, r.Scale[2])
	}
	cfg.LossScale, cfg.GrowEvery, cfg.Steps, cfg.Points = 4, 2, 5, 5
	r, err = Train(mlx.MustBackend(), "growth", data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want, good := 4.0, 0
	for i, s := range r.Scale {
		want, good = NextLossScale(want, good, false, 2)
		if s != want {
			t.Errorf("step %d: scale %g, want %g", i+1, s, want)
		}
	}
	if r.Skipped != 0 || math.IsNaN(r.ValLoss) {
		t.Errorf("skipped %d, validation loss %g", r.Skipped, r.ValLoss)
	}
}

// TestMixedPrecisionMasters checks that bf16 training keeps fp32 masters
// and that every bf16 weight is its master rounded.
func TestMixedPrecisionMasters(t *testing.T) {
	data, mc := tiny(t)
	cfg := tinyConfig(mc, 4)
	cfg.Precision = BF16
	r, err := Train(mlx.MustBackend(), "bf16", data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for v := range r.Store.IterVariables() {
		if !v.Trainable {
			continue
		}
		if v.DType() != dtypes.BFloat16 {
			t.Errorf("%s is %s, want bf16", v.Path(), v.DType())
		}
		m := r.Store.GetVariable(MasterScope + v.Path())
		if m == nil || m.DType() != dtypes.Float32 {
			t.Fatalf("no fp32 master for %s", v.Path())
		}
		w16 := tensors.MustCopyFlatData[bfloat16.BFloat16](v.MustValue())
		for i, x := range tensors.MustCopyFlatData[float32](m.MustValue()) {
			if w16[i] != bfloat16.FromFloat32(x) {
				t.Fatalf("%s[%d]: bf16 %g is not master %g rounded", v.Path(), i, w16[i].Float32(), x)
			}
		}
		n++
	}
	if n == 0 {
		t.Fatal("no trainable variables")
	}
}

// TestRangeTestSchedule checks At and that the graph sets the same rate.
func TestRangeTestSchedule(t *testing.T) {
	s := RangeTest{Min: 1e-4, Max: 1, Steps: 4}
	for step, want := range []float64{1e-4, 1e-3, 1e-2, 1e-1, 1} {
		if got := s.At(step); math.Abs(got-want) > 1e-12*want {
			t.Errorf("At(%d) = %g, want %g", step, got, want)
		}
	}
	data, mc := tiny(t)
	cfg := tinyConfig(mc, 3)
	cfg.Schedule = s
	r, err := Train(mlx.MustBackend(), "range", data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	lr := optimizer.LearningRateVar(r.Store.RootScope(), dtypes.Float32, 0).MustValue().Value().(float32)
	if want := s.At(2); math.Abs(float64(lr)-want) > 1e-6*want { // the third update ran at step 2
		t.Errorf("learning rate after 3 updates %g, want %g", lr, want)
	}
}

// TestCheckpointingLowersMemory compiles a 4-layer model with and without
// gradient checkpointing and reads XLA's temporary memory.
func TestCheckpointingLowersMemory(t *testing.T) {
	_, mc := tiny(t)
	mc.DecoderLayers, mc.MaxLen = 4, 32
	plain, err := MeasureStep(mlx.MustBackend(), "plain", mc, 20, 8, 1)
	if err != nil {
		t.Fatal(err)
	}
	if plain.Memory == nil {
		t.Skip("this backend reports no compiled memory")
	}
	mc.Checkpoint = true
	ck, err := MeasureStep(mlx.MustBackend(), "checkpointed", mc, 20, 8, 1)
	if err != nil {
		t.Fatal(err)
	}
	if ck.Memory.Temporary >= plain.Memory.Temporary {
		t.Errorf("temporary memory with checkpoints %d ≥ without %d", ck.Memory.Temporary, plain.Memory.Temporary)
	}
}

func TestConfigErrors(t *testing.T) {
	data, mc := tiny(t)
	for name, mod := range map[string]func(*Config){
		"batch":     func(c *Config) { c.Batch = 0 },
		"split":     func(c *Config) { c.Accumulate = 3 },
		"precision": func(c *Config) { c.Precision = "fp8" },
		"schedule":  func(c *Config) { c.Schedule = nil },
	} {
		cfg := tinyConfig(mc, 1)
		mod(&cfg)
		if _, err := Train(mlx.MustBackend(), name, data, cfg); err == nil {
			t.Errorf("%s: bad config accepted", name)
		}
	}
}

func TestUnderflow(t *testing.T) {
	xs := []float64{1, 1e-5, 1e-9, 0}
	z, s := Underflow(xs, 1)
	if z != 0.5 || s != 0.25 {
		t.Errorf("Underflow = %g, %g; want 0.5, 0.25", z, s)
	}
	if z, s = Underflow(xs, 1e4); z != 0.25 || s != 0.25 {
		t.Errorf("Underflow ×1e4 = %g, %g; want 0.25, 0.25", z, s)
	}
}

// TestSupported: fp32 trains on every backend; an unknown precision is an
// error naming it.
func TestSupported(t *testing.T) {
	if err := Supported(mlx.MustBackend(), FP32); err != nil {
		t.Error(err)
	}
	if err := Supported(mlx.MustBackend(), "fp8"); err == nil || !strings.Contains(err.Error(), "fp8") {
		t.Errorf("fp8: error %v", err)
	}
}
