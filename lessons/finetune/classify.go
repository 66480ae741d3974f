package finetune

import (
	"fmt"
	"iter"
	"math/rand/v2"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
)

// Config is a classification fine-tuning run.
type Config struct {
	Classes      []string
	MaxLen       int // tokens per example, [CLS] and [SEP]s included
	Batch, Steps int
	Schedule     transformer.Schedule
	WeightDecay  float64
	Seed         uint64
}

// Classifier is a fine-tuned BERT with a classification head: the pooled
// [CLS] vector through a Dense layer to one logit per class.
type Classifier struct {
	Start   Start
	Classes []string
	MaxLen  int
	Store   *model.Store
	History *mlx.History
}

// Encoded is an example as token ids.
type Encoded struct {
	A, B  []int32 // B is nil for single texts
	Label int
}

// EncodeExamples tokenizes examples with the BERT's WordPiece.
func EncodeExamples(b *pretrain.BERT, examples []Example) []Encoded {
	out := make([]Encoded, len(examples))
	for i, e := range examples {
		out[i] = Encoded{A: ids(b, e.A), Label: e.Label}
		if e.B != "" {
			out[i].B = ids(b, e.B)
		}
	}
	return out
}

func ids(b *pretrain.BERT, text string) []int32 { return toInt32(b.Tok.Encode(text)) }

func toInt32(ids []int) []int32 {
	out := make([]int32, len(ids))
	for i, id := range ids {
		out[i] = int32(id)
	}
	return out
}

// classify is the model: logits [batch, classes] for tokens and segments
// [batch, seq].
func classify(scope *model.Scope, tokens, segments *graph.Node, c transformer.Config, classes int) *graph.Node {
	return layers.Dense(scope.In("classifier"), pooled(scope, tokens, segments, c), true, classes)
}

// batchOf packs examples into the model's inputs and labels.
func batchOf(examples []Encoded, seqLen int) train.Batch {
	var tokens, segments, labels []int32
	for _, e := range examples {
		t, s := Pack(e.A, e.B, seqLen)
		tokens, segments, labels = append(tokens, t...), append(segments, s...), append(labels, int32(e.Label))
	}
	n := len(examples)
	return train.Batch{
		Inputs: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(tokens, n, seqLen), tensors.FromFlatDataAndDimensions(segments, n, seqLen)},
		Labels: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(labels, n, 1)}}
}

// TrainClassifier fine-tunes from start on the training examples: the
// whole network (or only the head, with start.Freeze) with AdamW, the
// learning rate warming up and decaying as cfg.Schedule says.
func TrainClassifier(backend compute.Backend, start Start, examples []Encoded, cfg Config) (*Classifier, error) {
	if len(examples) < cfg.Batch {
		return nil, fmt.Errorf("finetune.TrainClassifier: %d examples, fewer than one batch of %d", len(examples), cfg.Batch)
	}
	c, trainer, err := newClassifierTrainer(backend, start, cfg)
	if err != nil {
		return nil, err
	}
	ds := &epochs[Encoded]{name: "fine-tuning examples", items: examples, batch: cfg.Batch, seed: cfg.Seed,
		layout: func(b []Encoded) train.Batch { return batchOf(b, c.MaxLen) }}
	c.History, err = mlx.Fit(train.NewLoop(trainer), ds, cfg.Steps, 50)
	return c, err
}

// newClassifierTrainer builds the classifier's variables and GoMLX's
// trainer for it: cross-entropy, AdamW, the learning-rate schedule.
func newClassifierTrainer(backend compute.Backend, start Start, cfg Config) (*Classifier, *train.Trainer, error) {
	store, err := start.store(cfg.Seed, cfg.MaxLen)
	if err != nil {
		return nil, nil, err
	}
	c := &Classifier{Start: start, Classes: cfg.Classes, MaxLen: cfg.MaxLen, Store: store}
	mc := start.config(cfg.MaxLen)
	modelFn := func(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
		cfg.Schedule.Apply(scope, inputs[0].Graph())
		logits := classify(scope, inputs[0], inputs[1], mc, len(cfg.Classes))
		start.freeze(store)
		return []*graph.Node{logits}
	}
	trainer := train.NewTrainer(backend, store, modelFn, loss.SparseCategoricalCrossEntropyLogits,
		pretrain.AdamW{Beta2: 0.999, Decay: cfg.WeightDecay, Clip: 1}, nil, nil)
	return c, trainer, nil
}

// Evaluation is what a classifier gets right on held-out examples.
type Evaluation struct {
	Accuracy  float64
	Confusion [][]int     // [true class][predicted class]
	Probs     [][]float64 // each example's class probabilities
	Predicted []int
}

// Probabilities are the class probabilities of each example (in batches
// of 256).
func (c *Classifier) Probabilities(backend compute.Backend, examples []Encoded) ([][]float64, error) {
	mc := c.Start.config(c.MaxLen)
	exec, err := model.NewExec(backend, c.Store, func(scope *model.Scope, inputs []*graph.Node) *graph.Node {
		return graph.Softmax(classify(scope, inputs[0], inputs[1], mc, len(c.Classes)), -1)
	})
	if err != nil {
		return nil, err
	}
	var out [][]float64
	const size = 256
	for i := 0; i < len(examples); i += size {
		part := examples[i:min(i+size, len(examples))]
		padded := append(append([]Encoded(nil), part...), make([]Encoded, size-len(part))...) // one shape, one compilation
		res, err := exec.Exec(batchOf(padded, mc.MaxLen).Inputs)
		if err != nil {
			return nil, fmt.Errorf("finetune.Probabilities: %w", err)
		}
		probs := tensors.MustCopyFlatData[float32](res[0])
		k := len(c.Classes)
		for j := range part {
			row := make([]float64, k)
			for class := range k {
				row[class] = float64(probs[j*k+class])
			}
			out = append(out, row)
		}
	}
	return out, nil
}

// Evaluate classifies examples and compares with their labels.
func (c *Classifier) Evaluate(backend compute.Backend, examples []Encoded) (*Evaluation, error) {
	probs, err := c.Probabilities(backend, examples)
	if err != nil {
		return nil, err
	}
	ev := &Evaluation{Probs: probs}
	truth := make([]int, len(examples))
	for i, e := range examples {
		best := 0
		for class, p := range probs[i] {
			if p > probs[i][best] {
				best = class
			}
		}
		ev.Predicted, truth[i] = append(ev.Predicted, best), e.Label
		if best == e.Label {
			ev.Accuracy++
		}
	}
	ev.Accuracy /= float64(len(examples))
	ev.Confusion = cnn.Confusion(truth, ev.Predicted, len(c.Classes))
	return ev, nil
}

// epochs is a training data set that yields batches of items, in a new
// random order every epoch, laid out as tensors by layout.
type epochs[T any] struct {
	name   string
	items  []T
	batch  int
	seed   uint64
	layout func([]T) train.Batch
}

func (d *epochs[T]) Name() string { return d.name }

func (d *epochs[T]) Iter() iter.Seq2[train.Batch, error] {
	return func(yield func(train.Batch, error) bool) {
		rng := rand.New(rand.NewPCG(d.seed, 11))
		for {
			order := rng.Perm(len(d.items))
			for i := 0; i+d.batch <= len(order); i += d.batch {
				part := make([]T, d.batch)
				for j := range part {
					part[j] = d.items[order[i+j]]
				}
				if !yield(d.layout(part), nil) {
					return
				}
			}
		}
	}
}
