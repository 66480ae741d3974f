package cnn

import (
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// tinyData is the first n MNIST training images (the shared data folder, or
// the loader's usual places).
func tinyData(t *testing.T, split string, n int) *Data {
	t.Helper()
	d, err := LoadData("mnist", split, n)
	if err != nil {
		t.Skip("MNIST not available:", err)
	}
	return d
}

func TestLoadDataScalesPixels(t *testing.T) {
	d := tinyData(t, "train", 10)
	if d.N != 10 || len(d.X) != 10*28*28 || len(d.Y) != 10 {
		t.Fatalf("got N=%d, %d pixels, %d labels", d.N, len(d.X), len(d.Y))
	}
	lo, hi := d.X[0], d.X[0]
	for _, v := range d.X {
		lo, hi = min(lo, v), max(hi, v)
	}
	if lo != 0 || hi != 1 {
		t.Errorf("pixels span [%v, %v], want [0, 1]", lo, hi)
	}
	// The first MNIST training digits are 5 0 4 1 9 (LeCun's file).
	if want := []int32{5, 0, 4, 1, 9}; !equal(d.Y[:5], want) {
		t.Errorf("labels %v, want %v", d.Y[:5], want)
	}
	s := d.Subset([]int{3, 0})
	if !equal(s.Y, []int32{1, 5}) || s.Image(1)[300] != d.Image(0)[300] {
		t.Error("Subset picked the wrong images")
	}
}

func equal(a, b []int32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// MaxPool2 must agree with GoMLX's own MaxPool, values and gradients, on
// random inputs (no ties) of even and odd sides.
func TestMaxPool2MatchesGraphMaxPool(t *testing.T) {
	backend := mlx.MustBackend()
	for _, side := range []int{4, 11} {
		rng := rand.New(rand.NewSource(int64(side)))
		x := make([]float32, 2*side*side*3)
		for i := range x {
			x[i] = rng.Float32()
		}
		out := MustExecOnceN(backend, func(x *Node) []*Node {
			mine, theirs := MaxPool2(x), MaxPool(x).Window(2).Done()
			w := IotaFull(x.Graph(), mine.Shape()) // weights make every gradient distinct
			gMine := Gradient(ReduceAllSum(Mul(mine, ConvertDType(w, x.DType()))), x)[0]
			gTheirs := Gradient(ReduceAllSum(Mul(theirs, ConvertDType(w, x.DType()))), x)[0]
			return []*Node{mine, theirs, gMine, gTheirs}
		}, fromFlat(x, 2, side, side, 3))
		if got := out[0].Shape().Dimensions; got[1] != side/2 || got[2] != side/2 {
			t.Errorf("side %d: pooled shape %v", side, got)
		}
		for i, pair := range [][2]int{{0, 1}, {2, 3}} {
			a, b := flat(out[pair[0]]), flat(out[pair[1]])
			for j := range a {
				if a[j] != b[j] {
					t.Fatalf("side %d, %s differ at %d: %v vs %v", side, []string{"values", "gradients"}[i], j, a[j], b[j])
				}
			}
		}
	}
}

func TestModelShapesAndParameterCount(t *testing.T) {
	backend := mlx.MustBackend()
	store := model.NewStore()
	logits := model.MustExecOnce(backend, store, Model, tensorOf(make([]float32, 3*28*28), 3))
	if got := logits.Shape().Dimensions; len(got) != 2 || got[0] != 3 || got[1] != 10 {
		t.Errorf("logits shape %v, want [3 10]", got)
	}
	// The seed's model.summary(): 320 + 18,496 + 36,928 + 36,928 + 650 = 93,322 parameters.
	n := 0
	for v := range store.IterVariables() {
		if IsWeight(v.Path()) {
			n += v.Shape().Size()
		}
	}
	if n != 93322 {
		t.Errorf("%d parameters, want 93,322 (the Keras summary of the seed's network)", n)
	}
	features := model.MustExecOnce(backend, store, func(scope *model.Scope, x *Node) *Node {
		return Base(scope.In(BaseScope), x)
	}, tensorOf(make([]float32, 2*28*28), 2))
	if got := features.Shape().Dimensions; got[0] != 2 || got[1] != 576 {
		t.Errorf("features shape %v, want [2 576]", got)
	}
}

func TestTrainSaveLoad(t *testing.T) {
	backend := mlx.MustBackend()
	train, test := tinyData(t, "train", 512), tinyData(t, "test", 200)
	clf, hist, err := Train(backend, train, TinyConfig())
	if err != nil {
		t.Fatal(err)
	}
	first, last := mean(hist.Loss[:2]), mean(hist.Loss[len(hist.Loss)-2:])
	if !(last < 0.7*first) {
		t.Errorf("loss did not fall: %.3f -> %.3f", first, last)
	}
	ev, err := clf.Evaluate(test)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Accuracy < 0.4 { // chance is 0.1; 30 steps on 512 digits gets ~0.7
		t.Errorf("accuracy %.2f after tiny training", ev.Accuracy)
	}
	total := 0
	for _, row := range ev.Confusion {
		for _, c := range row {
			total += c
		}
	}
	if total != test.N || len(ev.Wrong) != test.N-int(math.Round(ev.Accuracy*float64(test.N))) {
		t.Errorf("confusion matrix counts %d images, %d wrong, accuracy %.3f", total, len(ev.Wrong), ev.Accuracy)
	}

	dir := filepath.Join(t.TempDir(), "cnn-mnist")
	if err := clf.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, found, err := Load(backend, dir)
	if err != nil || !found {
		t.Fatalf("Load: found=%v err=%v", found, err)
	}
	p1, _ := clf.Predict(test.X[:5*784], 5)
	p2, err := back.Predict(test.X[:5*784], 5)
	if err != nil {
		t.Fatal(err)
	}
	for i := range p1 {
		if p1[i] != p2[i] {
			t.Fatalf("prediction %d changed after save and load: %v vs %v", i, p1[i], p2[i])
		}
	}
	if _, err := back.Filters(); err != nil {
		t.Error(err)
	}
	m, err := back.FeatureMaps(test.Image(0))
	if err != nil || len(m.Conv1) != 26*26*32 || len(m.Conv3) != 3*3*64 {
		t.Errorf("FeatureMaps: %v", err)
	}
}

func TestLoadMissingOrBroken(t *testing.T) {
	backend := mlx.MustBackend()
	dir := t.TempDir()
	if _, found, err := Load(backend, filepath.Join(dir, "none")); found || err != nil {
		t.Errorf("missing checkpoint: found=%v err=%v, want false, nil", found, err)
	}
	// What an interrupted write would leave if it wrote in place: a folder
	// with a truncated file. It must not load as a network.
	broken := filepath.Join(dir, "broken")
	if err := os.MkdirAll(broken, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "checkpoint-n0000001-20250101-000000-step-00000010.json"), []byte(`{"Variables":[`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, found, err := Load(backend, broken); err == nil || found {
		t.Errorf("broken checkpoint loaded: found=%v err=%v", found, err)
	}
	// A valid checkpoint of something else is not a lesson-03 network.
	other := model.NewStore()
	if _, err := other.CreateVariable("/x", fromFlat([]float32{1}, 1)); err != nil {
		t.Fatal(err)
	}
	if err := mlx.SaveCheckpoint(other, filepath.Join(dir, "other")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Load(backend, filepath.Join(dir, "other")); err == nil {
		t.Error("a checkpoint without the network's weights loaded")
	}
	// Saving an untrained network is refused.
	if err := NewClassifier(backend, 1).Save(filepath.Join(dir, "empty")); err == nil {
		t.Error("saved an untrained network")
	}
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func TestCheckpointNameKeepsQuickRunsApart(t *testing.T) {
	t.Setenv(mlx.QuickEnv, "")
	if got := CheckpointName("mnist"); got != "cnn-mnist" {
		t.Errorf("full run: %q", got)
	}
	t.Setenv(mlx.QuickEnv, "1")
	if got := CheckpointName("mnist"); got != "cnn-mnist-quick" {
		t.Errorf("quick run: %q", got)
	}
}
