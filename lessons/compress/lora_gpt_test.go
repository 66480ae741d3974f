package compress

import (
	"testing"

	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/tensors"
)

// TestTune fine-tunes a tiny GPT on the Debian FAQ both ways: the original
// model is untouched, LoRA trains only its adapters (2·r·dim per adapted
// matrix) and the merged model gives the unmerged logits.
func TestTune(t *testing.T) {
	backend := mlx.MustBackend()
	data, err := pretrain.LoadShakespeare()
	if err != nil {
		t.Fatal(err)
	}
	text, err := LoadNewText(data.Vocab)
	if err != nil {
		t.Fatal(err)
	}
	if len(text.Train) < 100_000 || text.Dropped > 0.05 {
		t.Errorf("new text: %d training characters, %.1f%% dropped", len(text.Train), 100*text.Dropped)
	}
	cfg := pretrain.NanoGPTConfig()
	cfg.Model = transformer.Config{Dim: 32, Heads: 2, DecoderLayers: 2, MLPRatio: 2, MaxLen: 16, InitStd: 0.02, TieEmbeddings: true}
	cfg.Steps, cfg.EvalBatches = 100, 2
	cfg.Schedule.Steps, cfg.Schedule.Warmup = 100, 10
	g, err := pretrain.TrainGPT(backend, data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	original := map[string][]float32{}
	for v := range g.Store.IterVariables() {
		if v.Trainable {
			original[v.Path()] = tensors.MustCopyFlatData[float32](v.MustValue())
		}
	}
	for _, tc := range []TuneConfig{LoRAConfig(), FullConfig()} {
		tc.Steps, tc.Batch, tc.EvalBatches = 80, 8, 4
		r, err := Tune(backend, g, text, data.Val, tc)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d of %d weights, %.3f -> %.3f, merged diff %.2g", r.Name, r.Trainable, r.Total, r.Before, r.After, r.MergedDiff)
		if !(r.After < r.Before) {
			t.Errorf("%s: validation loss %.3f -> %.3f", r.Name, r.Before, r.After)
		}
		if tc.Adapters != nil {
			if want := 2 * cfg.Model.DecoderLayers * 2 * tc.Adapters.Rank * cfg.Model.Dim; r.Trainable != want {
				t.Errorf("LoRA trains %d weights, want %d", r.Trainable, want)
			}
			if r.MergedAdapters != 2*cfg.Model.DecoderLayers || r.MergedDiff > 1e-4 {
				t.Errorf("merged %d matrices, max diff %g", r.MergedAdapters, r.MergedDiff)
			}
		} else if r.Trainable != r.Total {
			t.Errorf("full fine-tuning trains %d of %d", r.Trainable, r.Total)
		}
	}
	for v := range g.Store.IterVariables() {
		if !v.Trainable {
			continue
		}
		for i, x := range tensors.MustCopyFlatData[float32](v.MustValue()) {
			if x != original[v.Path()][i] {
				t.Fatalf("Tune changed the original model's %s", v.Path())
			}
		}
	}
}
