package attention

import (
	"testing"

	"github.com/baeum-go/baeum/mlx"
)

func TestTinyLMLearns(t *testing.T) {
	backend := mlx.MustBackend()
	cfg := LMConfig{Layers: 1, Heads: 2, Dim: 16, Context: 16, Batch: 8, Steps: 60, LearningRate: 1e-2,
		KoreanChars: 200, KoreanLines: 300, Seed: 1}
	data, err := LoadBilingual(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m, err := TrainTinyLM(backend, data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if h := m.History; !(h.LastLoss() < h.FirstLoss()-1) {
		t.Errorf("loss did not fall by 1 nat: %v -> %v", h.FirstLoss(), h.LastLoss())
	}
	dir := t.TempDir() + "/lm"
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := LoadTinyLM(dir)
	if err != nil {
		t.Fatal(err)
	}
	maps, err := back.AttentionMaps(backend, "To be, or not to be: 사느냐 죽느냐")
	if err != nil {
		t.Fatal(err)
	}
	if len(maps.Tokens) != 16 || len(maps.Weights) != 1 || len(maps.Weights[0]) != 2 {
		t.Fatalf("maps: %d tokens, %d layers", len(maps.Tokens), len(maps.Weights))
	}
	if future, rowErr := maps.Future(); future != 0 || rowErr > 1e-5 {
		t.Errorf("weight on the future %g (want 0), row sum error %g", future, rowErr)
	}
}
