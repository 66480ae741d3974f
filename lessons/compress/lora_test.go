package compress

import (
	"math"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// TestAdapters trains a tiny GPT, then LoRA adapters on its attention
// queries and values with a new text: only the adapters move, and the
// merged model gives the adapted model's logits.
func TestAdapters(t *testing.T) {
	backend := mlx.MustBackend()
	text := strings.Repeat("to be or not to be, that is the question. ", 40)
	other := strings.Repeat("the question is not to be or to be. ", 40)
	v := tokenize.NewCharVocab(text+other, 0)
	ids, _ := v.Encode(text)
	newIDs, _ := v.Encode(other)
	mc := transformer.Config{Dim: 16, Heads: 2, DecoderLayers: 2, MLPRatio: 2, MaxLen: 8, InitStd: 0.02, TieEmbeddings: true, TgtVocab: v.Size()}
	gpt := func(scope *model.Scope, x *graph.Node) *graph.Node { return transformer.DecoderOnly(scope, x, mc) }
	fit := func(store *model.Store, fn func(*model.Scope, *graph.Node) *graph.Node, tokens []int32, steps int) {
		t.Helper()
		ds, err := mlx.NewWindows("t", [][]int32{tokens}, 4, mc.MaxLen, 1)
		if err != nil {
			t.Fatal(err)
		}
		tr := train.NewTrainer(backend, store, fn, loss.SparseCategoricalCrossEntropyLogits, optimizer.Adam().LearningRate(1e-2).Done(), nil, nil)
		if _, err := train.NewLoop(tr).RunSteps(ds, steps); err != nil {
			t.Fatal(err)
		}
	}
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(1))
	fit(store, gpt, ids, 5)

	before := map[string][]float32{}
	for v := range store.IterVariables() {
		if v.Trainable {
			before[v.Path()] = tensors.MustCopyFlatData[float32](v.MustValue())
		}
	}
	ad := Adapters{Rank: 2, Alpha: 4, Targets: func(p string) bool {
		return strings.Contains(p, "/query/") || strings.Contains(p, "/value/")
	}}
	fit(store, ad.Wrap(gpt), newIDs, 5)
	adapters, trainable, total := 0, 0, 0
	for v := range store.IterVariables() {
		if old, ok := before[v.Path()]; ok {
			total += v.Shape().Size()
			for i, x := range tensors.MustCopyFlatData[float32](v.MustValue()) {
				if x != old[i] {
					t.Fatalf("frozen %s[%d] moved during LoRA training", v.Path(), i)
				}
			}
		}
		if strings.HasPrefix(v.Path(), LoRAScope+"/") {
			adapters++
			trainable += v.Shape().Size()
		}
	}
	if adapters != 2*2*mc.DecoderLayers { // A and B, for queries and values, in each block
		t.Errorf("%d adapter variables", adapters)
	}
	t.Logf("%d adapter weights for %d model weights", trainable, total)

	x := tensors.FromFlatDataAndDimensions(newIDs[:2*mc.MaxLen], 2, mc.MaxLen)
	run := func(fn func(*model.Scope, *graph.Node) *graph.Node) []float32 {
		out, err := logits(backend, store, fn, x)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	unmerged := run(ad.Wrap(gpt))
	base := run(gpt) // without adapters: the frozen model
	if n, err := ad.Merge(store); err != nil || n != 2*mc.DecoderLayers {
		t.Fatalf("merged %d weights, error %v", n, err)
	}
	merged := run(gpt)
	diff, moved := 0.0, 0.0
	for i := range merged {
		diff = math.Max(diff, math.Abs(float64(merged[i]-unmerged[i])))
		moved = math.Max(moved, math.Abs(float64(unmerged[i]-base[i])))
	}
	if diff > 1e-4 {
		t.Errorf("merged vs unmerged logits: max |diff| %g", diff)
	}
	if moved == 0 {
		t.Error("the adapters changed nothing")
	}
}
