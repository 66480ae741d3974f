package gan

import (
	"strings"
	"testing"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

func TestShapes(t *testing.T) {
	backend := mlx.MustBackend()
	store := model.NewStore()
	out := model.MustExecOnceN(backend, store, func(scope *model.Scope, z *Node) []*Node {
		images := Generator(scope.In(GeneratorScope), z)
		return []*Node{images, Discriminator(scope.In(DiscriminatorScope), images)}
	}, tensors.FromFlatDataAndDimensions(FixedNoise(3, 1), 3, NoiseDim))
	if d := out[0].Shape().Dimensions; d[0] != 3 || d[1] != 28 || d[2] != 28 || d[3] != 1 {
		t.Errorf("generator output %v, want [3 28 28 1]", d)
	}
	for _, v := range tensors.MustCopyFlatData[float32](out[0]) {
		if v < -1 || v > 1 {
			t.Fatalf("generated pixel %v outside tanh's [-1, 1]", v)
		}
	}
	if d := out[1].Shape().Dimensions; d[0] != 3 || d[1] != 1 {
		t.Errorf("discriminator output %v, want [3 1]", d)
	}
	// Trainable parameters, as Keras' model.summary() counts them: generator
	// 12,928 + 101,136 + 256 (batch norm's scale and offset); discriminator
	// 1,664 + 204,928 + 6,273.
	counts := map[string]int{}
	for v := range store.IterVariables() {
		if !v.Trainable {
			continue
		}
		for _, s := range []string{GeneratorScope, DiscriminatorScope} {
			if len(v.Path()) > len(s) && v.Path()[1:len(s)+1] == s {
				counts[s] += v.Shape().Size()
			}
		}
	}
	if counts[GeneratorScope] != 114320 || counts[DiscriminatorScope] != 212865 {
		t.Errorf("parameters %v, want generator 114,320 and discriminator 212,865", counts)
	}
}

// The Go counterpart of the seed's trainable=False: each trainer changes
// its own network and leaves the other bit-for-bit alone, in the seed's
// pair and in the conditional GAN.
func TestEachStepTrainsOnlyItsNetwork(t *testing.T) {
	if _, err := cnn.LoadData("mnist", "train", 16); err != nil {
		t.Skip("MNIST not available:", err)
	}
	for _, g := range []*GAN{New(mlx.MustBackend(), 1), NewConditional(mlx.MustBackend(), 1)} {
		r, err := FreezeCheck(g)
		if err != nil {
			t.Fatal(err)
		}
		if r.Frozen() != 0 {
			t.Errorf("conditional %v: a step changed the other network: %+v", g.Conditional, r)
		}
		if r.DiscriminatorByDStep == 0 || r.GeneratorByGStep == 0 {
			t.Errorf("conditional %v: a step did not change its own network: %+v", g.Conditional, r)
		}
	}
}

func TestTrainTinyAndJudge(t *testing.T) {
	real, err := cnn.LoadData("mnist", "train", 256)
	if err != nil {
		t.Skip("MNIST not available:", err)
	}
	backend := mlx.MustBackend()
	clf, _, err := cnn.Train(backend, real, cnn.Config{Steps: 10, BatchSize: 32, LearningRate: 2e-3, Seed: 1, Points: 5})
	if err != nil {
		t.Fatal(err)
	}
	g := New(backend, 2)
	cfg := Config{Steps: 20, BatchSize: 16, DLearningRate: 2e-4, GLearningRate: 1e-3, Beta1: 0.5, SampleEvery: 10, JudgeEvery: 10, Seed: 1}
	t.Setenv("BAEUM_CHECKPOINTS", t.TempDir())
	h, err := g.Train(real, cfg, clf)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.SaveAs(); err != nil {
		t.Fatal(err)
	}
	back, err := Load(backend)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := g.Generate(FixedNoise(2, 3), 2)
	b, _ := back.Generate(FixedNoise(2, 3), 2)
	if a[100] != b[100] || a[1000] != b[1000] {
		t.Error("the loaded generator draws different pictures")
	}
	if len(h.GridSteps) != 3 || len(h.Grids[0]) != GridSize*784 || len(h.JudgeSteps) != 2 {
		t.Errorf("grids at %v, judged at %v", h.GridSteps, h.JudgeSteps)
	}
	// The discriminator learns first: its loss falls from 2 ln 2 / 2 = 0.69.
	if first, last := h.DLoss[0], h.DLoss[len(h.DLoss)-1]; !(last < first) {
		t.Errorf("discriminator loss did not fall: %.3f -> %.3f", first, last)
	}
	images, err := g.Generate(FixedNoise(40, EvalSeed), 40)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Judge(clf, images, 40, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	sum, classes := 0, 0
	for _, c := range v.Histogram {
		sum += c
		if c > 0 {
			classes++
		}
	}
	if sum != v.Confident || len(v.Pred) != 40 {
		t.Errorf("histogram sums to %d, %d confident, %d predictions", sum, v.Confident, len(v.Pred))
	}
	if v.Classes() != classes {
		t.Errorf("Classes() = %d, the histogram has %d non-empty bins", v.Classes(), classes)
	}
}

// A missing checkpoint, or one written by another version of the networks,
// is an error that says which cell to run.
func TestLoadMissingOrForeign(t *testing.T) {
	t.Setenv("BAEUM_CHECKPOINTS", t.TempDir())
	backend := mlx.MustBackend()
	if _, err := Load(backend); err == nil || !strings.Contains(err.Error(), "run the training cell") {
		t.Errorf("missing checkpoint: %v", err)
	}
	// A generator read from 50 noise values instead of 100: its first layer
	// has another shape.
	store := model.NewStore()
	model.MustExecOnce(backend, store, func(scope *model.Scope, z *Node) *Node {
		return Generator(scope.In(GeneratorScope), z)
	}, tensors.FromFlatDataAndDimensions(make([]float32, 2*50), 2, 50))
	dir, err := mlx.CheckpointDir(CheckpointName)
	if err != nil {
		t.Fatal(err)
	}
	if err := mlx.SaveCheckpoint(store, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(backend); err == nil || !strings.Contains(err.Error(), "run the training cell again") {
		t.Errorf("foreign checkpoint: %v", err)
	}
}
