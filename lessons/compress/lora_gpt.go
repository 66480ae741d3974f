package compress

import (
	"fmt"
	"math"
	"strings"

	"github.com/baeum-go/baeum/lessons/corpus"
	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// NewText is a text the Shakespeare GPT has never read, in its own
// characters: the English Debian FAQ (17 pages, HTML to text with lesson
// 01's corpus.HTMLToText), with the characters Shakespeare never uses
// (digits but 3, brackets, slashes, quotes, ...) left out.
type NewText struct {
	Train, Val []int32 // the first 90% of the characters, the last 10%
	Dropped    float64 // the fraction of characters left out
}

// LoadNewText reads the English Debian FAQ and encodes it with v.
func LoadNewText(v *tokenize.Vocab) (*NewText, error) {
	var ids []int32
	total := 0
	for _, f := range mlx.DataFiles() {
		if !strings.HasPrefix(f, "debian-faq/en/") || !strings.HasSuffix(f, ".html") {
			continue
		}
		html, err := mlx.ReadDataFile(f)
		if err != nil {
			return nil, err
		}
		for _, r := range corpus.HTMLToText(html) + "\n" {
			total++
			if id := v.ID(string(r)); id >= 0 {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) < 10_000 {
		return nil, fmt.Errorf("compress.LoadNewText: only %d characters read from debian-faq/en/; is the data set complete? (see the README's data section)", len(ids))
	}
	cut := len(ids) * 9 / 10
	return &NewText{Train: ids[:cut], Val: ids[cut:], Dropped: 1 - float64(len(ids))/float64(total)}, nil
}

// TuneConfig is one fine-tuning run of the GPT on the new text.
type TuneConfig struct {
	Name         string
	Adapters     *Adapters // nil: full fine-tuning, every weight trains
	Batch, Steps int
	LearningRate float64 // Adam's
	EvalBatches  int
	Seed         uint64
}

// LoRAConfig is the lesson's LoRA run: rank-3 adapters (α = 6) on the
// attention's queries and values, Adam at 1e-2, 300 steps of 12 × 64
// characters (60 in a quick run). FullConfig is the same run with every
// weight trained, at 1e-3 (1e-2 diverges when every weight moves).
func LoRAConfig() TuneConfig {
	return TuneConfig{Name: "LoRA (rank 3, queries and values)", Batch: 12, Steps: tuneSteps(), LearningRate: 1e-2, EvalBatches: 50, Seed: 7,
		Adapters: &Adapters{Rank: 3, Alpha: 6, Targets: func(p string) bool {
			return strings.Contains(p, "/query/") || strings.Contains(p, "/value/")
		}}}
}

// FullConfig: see LoRAConfig.
func FullConfig() TuneConfig {
	c := LoRAConfig()
	c.Name, c.Adapters, c.LearningRate = "full fine-tuning", nil, 1e-3
	return c
}

func tuneSteps() int {
	if mlx.Quick() {
		return 60
	}
	return 300
}

// Tuned is a fine-tuned copy of the GPT.
type Tuned struct {
	Name              string
	GPT               *pretrain.GPT // the tuned model (adapters merged in, for LoRA)
	Trainable, Total  int           // trained weights, the model's weights
	Before, After     float64       // validation loss on the new text, nats/char
	History           *mlx.History
	MergedDiff        float64 // LoRA: max |merged − unmerged| of the logits on validation windows
	MergedAdapters    int     // LoRA: weight matrices the adapters were folded into
	ShakespeareBefore float64 // validation loss on Shakespeare, before and after: what was forgotten
	ShakespeareAfter  float64
}

// Tune fine-tunes a copy of g on text (g itself is not changed), then, for
// LoRA, merges the adapters and compares the merged model's logits with the
// unmerged ones.
func Tune(backend compute.Backend, g *pretrain.GPT, text *NewText, shakespeare []int32, cfg TuneConfig) (*Tuned, error) {
	gpt := func(scope *model.Scope, x *graph.Node) *graph.Node {
		return transformer.DecoderOnly(scope, x, g.Config)
	}
	val, err := mlx.NewWindows("new-text-val", [][]int32{text.Val}, cfg.Batch, g.Config.MaxLen, cfg.Seed)
	if err != nil {
		return nil, err
	}
	old, err := mlx.NewWindows("shakespeare-val", [][]int32{shakespeare}, cfg.Batch, g.Config.MaxLen, cfg.Seed)
	if err != nil {
		return nil, err
	}
	valSet, oldSet := val.Fixed(cfg.EvalBatches, cfg.Seed+1), old.Fixed(cfg.EvalBatches, cfg.Seed+1)
	store, err := copyModel(backend, g.Store, gpt, g.Config.MaxLen)
	if err != nil {
		return nil, err
	}
	t := &Tuned{Name: cfg.Name, GPT: &pretrain.GPT{Config: g.Config, Vocab: g.Vocab, Store: store}}
	for v := range store.IterVariables() {
		t.Total += v.Shape().Size()
	}
	evalLoss := func(tr *train.Trainer, ds train.Dataset) (float64, error) {
		m, err := tr.Eval(ds)
		if err != nil {
			return 0, fmt.Errorf("compress.Tune: evaluation: %w", err)
		}
		return float64(m[0].Value().(float32)), nil
	}
	before := train.NewTrainer(backend, store, gpt, loss.SparseCategoricalCrossEntropyLogits, optimizer.Adam().Done(), nil, nil)
	if t.Before, err = evalLoss(before, valSet); err != nil {
		return nil, err
	}
	if t.ShakespeareBefore, err = evalLoss(before, oldSet); err != nil {
		return nil, err
	}

	fn := gpt
	if cfg.Adapters != nil {
		fn = cfg.Adapters.Wrap(gpt)
	}
	ds, err := mlx.NewWindows("new-text", [][]int32{text.Train}, cfg.Batch, g.Config.MaxLen, cfg.Seed)
	if err != nil {
		return nil, err
	}
	tr := train.NewTrainer(backend, store, fn, loss.SparseCategoricalCrossEntropyLogits, optimizer.Adam().LearningRate(cfg.LearningRate).Done(), nil, nil)
	if t.History, err = mlx.Fit(train.NewLoop(tr), ds, cfg.Steps, 50); err != nil {
		return nil, err
	}
	t.Trainable = t.Total
	if cfg.Adapters != nil {
		t.Trainable = 0
		for v := range store.IterVariables() {
			if strings.HasPrefix(v.Path(), LoRAScope+"/") && v.Trainable {
				t.Trainable += v.Shape().Size()
			}
		}
	}
	if t.After, err = evalLoss(tr, valSet); err != nil {
		return nil, err
	}
	if t.ShakespeareAfter, err = evalLoss(tr, oldSet); err != nil {
		return nil, err
	}
	if cfg.Adapters != nil {
		x, _ := val.Next()
		unmerged, err := logits(backend, store, fn, x)
		if err != nil {
			return nil, err
		}
		if t.MergedAdapters, err = cfg.Adapters.Merge(store); err != nil {
			return nil, err
		}
		merged, err := logits(backend, store, gpt, x)
		if err != nil {
			return nil, err
		}
		t.MergedDiff = maxAbsDiff(merged, unmerged)
	}
	return t, nil
}

// copyModel runs fn once on src (a model loaded from a checkpoint creates
// its variables on first use) and copies its variables into a new store.
func copyModel(backend compute.Backend, src *model.Store, fn func(*model.Scope, *graph.Node) *graph.Node, maxLen int) (*model.Store, error) {
	if _, err := logits(backend, src, fn, tensors.FromShape(shapes.Make(dtypes.Int32, 1, maxLen))); err != nil {
		return nil, err
	}
	dst := model.NewStore()
	for v := range src.IterVariables() {
		if !v.Trainable {
			continue // the pretraining's optimizer state, step counter and schedule
		}
		t, err := v.Value()
		if err != nil {
			return nil, err
		}
		c, err := t.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := dst.CreateVariable(v.Path(), c); err != nil {
			return nil, err
		}
	}
	return dst, nil
}

func logits(backend compute.Backend, store *model.Store, fn func(*model.Scope, *graph.Node) *graph.Node, x *tensors.Tensor) ([]float32, error) {
	e, err := model.NewExec(backend, store, fn)
	if err != nil {
		return nil, err
	}
	out, err := e.Exec(x)
	if err != nil {
		return nil, err
	}
	return tensors.MustCopyFlatData[float32](out[0]), nil
}

func maxAbsDiff(a, b []float32) float64 {
	d := 0.0
	for i := range a {
		d = max(d, math.Abs(float64(a[i]-b[i])))
	}
	return d
}
