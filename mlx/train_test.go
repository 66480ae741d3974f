package mlx

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/dataset"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

func linearModel(scope *model.Scope, _ any, inputs []*Node) []*Node {
	return []*Node{layers.Dense(scope, inputs[0], true, 1)}
}

// tinyRun fits y = 3x - 1 for a few steps and returns the store.
func tinyRun(t *testing.T, steps int) (*model.Store, *History) {
	t.Helper()
	b := MustBackend()
	x := [][]float32{{-1}, {-0.5}, {0}, {0.5}, {1}}
	y := [][]float32{{-4}, {-2.5}, {-1}, {0.5}, {2}}
	ds, err := dataset.InMemoryFromData(b, "tiny", []any{x}, []any{y})
	if err != nil {
		t.Fatal(err)
	}
	ds.Infinite(true).BatchSize(5, false)
	store := model.NewStore()
	trainer := train.NewTrainer(b, store, linearModel, loss.MeanSquaredError,
		optimizer.StochasticGradientDescent().WithLearningRate(0.3).WithDecay(false).Done(), nil, nil)
	h, err := Fit(train.NewLoop(trainer), ds, steps, 10)
	if err != nil {
		t.Fatal(err)
	}
	return store, h
}

func TestFitRecordsFallingLoss(t *testing.T) {
	_, h := tinyRun(t, 60)
	if len(h.Steps) < 10 || len(h.Steps) != len(h.Loss) || h.StepsPerSec <= 0 {
		t.Fatalf("history: %d steps, %d losses, %.1f steps/s", len(h.Steps), len(h.Loss), h.StepsPerSec)
	}
	if !(h.LastLoss() < h.FirstLoss()/100) {
		t.Errorf("loss %v -> %v did not fall 100x", h.FirstLoss(), h.LastLoss())
	}
	if _, err := Fit(nil, nil, 0, 1); err == nil {
		t.Error("zero steps accepted")
	}
}

func TestCheckpointRoundTrip(t *testing.T) {
	store, _ := tinyRun(t, 30)
	dir := filepath.Join(t.TempDir(), "ckpt")
	if err := SaveCheckpoint(store, dir); err != nil {
		t.Fatal(err)
	}
	if err := SaveCheckpoint(store, dir); err != nil { // replacing works too
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Errorf("left %d entries beside the checkpoint (temporary folders?)", len(entries))
	}
	want := store.GetVariable("/dense/weights").MustValue().Value().([][]float32)[0][0]

	restored := model.NewStore()
	found, err := LoadCheckpoint(restored, dir)
	if err != nil || !found {
		t.Fatalf("LoadCheckpoint: %v, %v", found, err)
	}
	// Variables are read as the model creates them.
	exec, err := model.NewExec(MustBackend(), restored, func(scope *model.Scope, x *Node) *Node {
		return linearModel(scope, nil, []*Node{x})[0]
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.Exec([][]float32{{1}}); err != nil {
		t.Fatal(err)
	}
	got := restored.GetVariable("/dense/weights").MustValue().Value().([][]float32)[0][0]
	if math.Abs(float64(got-want)) > 1e-6 {
		t.Errorf("restored weight %v, saved %v", got, want)
	}

	if found, err := LoadCheckpoint(model.NewStore(), filepath.Join(t.TempDir(), "none")); found || err != nil {
		t.Errorf("missing folder: %v, %v", found, err)
	}
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "checkpoint-n0000001-20260101-000000-step-00000001.json"), []byte("{trunc"), 0o644)
	os.WriteFile(filepath.Join(bad, "checkpoint-n0000001-20260101-000000-step-00000001.bin"), []byte{}, 0o644)
	if _, err := LoadCheckpoint(model.NewStore(), bad); err == nil || !strings.Contains(err.Error(), "delete the folder") {
		t.Errorf("corrupt checkpoint: %v", err)
	}
}

// Sidecars are saved inside the checkpoint folder; one that fails to write
// leaves the previous checkpoint, sidecar included, as it was.
func TestCheckpointSidecars(t *testing.T) {
	store, _ := tinyRun(t, 5)
	dir := filepath.Join(t.TempDir(), "ckpt")
	type meta struct{ Name string }
	if err := SaveCheckpoint(store, dir, JSONSidecar("meta.json", meta{"first"})); err != nil {
		t.Fatal(err)
	}
	failing := Sidecar{Name: "broken", Write: func(string) error { return errors.New("disk full") }}
	if err := SaveCheckpoint(store, dir, JSONSidecar("meta.json", meta{"second"}), failing); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("a failing sidecar: %v", err)
	}
	var m meta
	if _, err := LoadCheckpointJSON(dir, "meta.json", &m); err != nil || m.Name != "first" {
		t.Errorf("after a failed save: %+v, %v", m, err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 1 {
		t.Errorf("left %d entries beside the checkpoint", len(entries))
	}
	if _, err := LoadCheckpointJSON(filepath.Join(t.TempDir(), "none"), "meta.json", &m); err == nil || !strings.Contains(err.Error(), "run the training cell first") {
		t.Errorf("missing checkpoint: %v", err)
	}
}
