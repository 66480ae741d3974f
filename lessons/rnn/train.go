package rnn

import (
	"fmt"
	"math"
	"math/rand"

	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/dataset"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/gomlx/gomlx/ml/train/optimizer/cosineschedule"
)

// Config is the training budget.
type Config struct {
	SeqLen       int     // characters per training window
	BatchSize    int     // windows per step
	Steps        int     // optimizer steps
	LearningRate float64 // Adam's peak step size; falls along a cosine to 0
	Seed         int64
	Points       int // points on the recorded training curve
}

// DefaultConfig is the notebook's full run for a corpus, sized to the
// SYLLABUS budget (both corpora within about 4 minutes on 2 cores).
// Windows are short (32 characters) and batches wide (128): the LSTM's
// graph is unrolled over the window (one copy of the step per character,
// so compile time grows with it), while a wide batch keeps each step's
// matmuls big enough to use the CPU well. mlx.Quick() shrinks it to a
// smoke run.
func DefaultConfig(corpus string) Config {
	c := Config{SeqLen: 32, BatchSize: 128, Steps: 400, LearningRate: 5e-3, Seed: 1, Points: 50}
	if corpus == Korean {
		c.Steps = 300
	}
	if mlx.Quick() {
		c.Steps, c.Points = 50, 10
	}
	return c
}

// LM is a trained (or loaded) character language model.
type LM struct {
	Vocab   *tokenize.Vocab
	Store   *model.Store
	backend compute.Backend
	step    *model.Exec // one character in, next-character logits and new state out
	loss    *model.Exec // mean cross-entropy of a batch of windows
}

// NewLM returns a model with fresh random weights (created on first use).
func NewLM(backend compute.Backend, vocab *tokenize.Vocab, seed int64) *LM {
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, seed)
	return &LM{Vocab: vocab, Store: store, backend: backend}
}

// Windows cuts ids into non-overlapping windows of seqLen+1 characters:
// inputs are the first seqLen of each, labels the last seqLen (the next
// character at every position). [1 2 3 4 5 6 7], seqLen 3 -> inputs
// [[1 2 3] [4 5 6]], labels [[2 3 4] [5 6 7]].
func Windows(ids []int32, seqLen int) (inputs, labels [][]int32) {
	for start := 0; start+seqLen+1 <= len(ids); start += seqLen {
		inputs = append(inputs, ids[start:start+seqLen])
		labels = append(labels, ids[start+1:start+seqLen+1])
	}
	return inputs, labels
}

func windowTensors(ids []int32, seqLen int) (x, y *tensors.Tensor, n int) {
	in, lab := Windows(ids, seqLen)
	n = len(in)
	flatIn, flatLab := make([]int32, 0, n*seqLen), make([]int32, 0, n*seqLen)
	for i := range in {
		flatIn, flatLab = append(flatIn, in[i]...), append(flatLab, lab[i]...)
	}
	return tensors.FromFlatDataAndDimensions(flatIn, n, seqLen),
		tensors.FromFlatDataAndDimensions(flatLab, n, seqLen, 1), n
}

func (lm *LM) modelFn(scope *model.Scope, tokens *Node) *Node {
	logits, _, _ := Forward(scope, tokens, lm.Vocab.Size(), nil, nil)
	return logits
}

// Train trains a new model on corpus.Train with GoMLX's trainer and loop:
// Adam, cross-entropy of the next character, a cosine learning-rate decay.
func Train(backend compute.Backend, corpus *Corpus, cfg Config) (*LM, *mlx.History, error) {
	lm := NewLM(backend, corpus.Vocab, cfg.Seed)
	x, y, n := windowTensors(corpus.Train, cfg.SeqLen)
	if n < cfg.BatchSize {
		return nil, nil, fmt.Errorf("rnn.Train: %d windows of %d characters are fewer than one batch of %d", n, cfg.SeqLen, cfg.BatchSize)
	}
	ds, err := dataset.InMemoryFromData(backend, corpus.Name, []any{x}, []any{y})
	if err != nil {
		return nil, nil, fmt.Errorf("rnn.Train: %w", err)
	}
	ds.WithRand(rand.New(rand.NewSource(cfg.Seed))).Shuffle().Infinite(true).BatchSize(cfg.BatchSize, true)
	hist, err := mlx.Fit(train.NewLoop(lm.trainer(cfg)), ds, cfg.Steps, cfg.Points)
	return lm, hist, err
}

// trainer is GoMLX's trainer for lm: Adam on the next character's
// cross-entropy, its learning rate on a cosine decay over cfg.Steps.
func (lm *LM) trainer(cfg Config) *train.Trainer {
	modelFn := func(scope *model.Scope, tokens *Node) *Node {
		cosineschedule.New(scope, tokens.Graph(), dtypes.Float32).LearningRate(cfg.LearningRate).PeriodSteps(cfg.Steps).Done()
		return lm.modelFn(scope, tokens)
	}
	return train.NewTrainer(lm.backend, lm.Store, modelFn, loss.SparseCategoricalCrossEntropyLogits,
		optimizer.Adam().LearningRate(cfg.LearningRate).Done(), nil, nil)
}

// ValBatch is how many windows one validation call takes.
const ValBatch = 256

// Loss is the mean cross-entropy, in nats per character, of predicting each
// character of ids from the ones before it in its window of seqLen (each
// window starting from a zero state, as in training). Only whole batches of
// ValBatch windows are used.
func (lm *LM) Loss(ids []int32, seqLen int) (float64, error) {
	x, y, n := windowTensors(ids, seqLen)
	if n < ValBatch {
		return 0, fmt.Errorf("rnn.Loss: %d characters make %d windows, fewer than one batch of %d", len(ids), n, ValBatch)
	}
	if lm.loss == nil {
		e, err := model.NewExec(lm.backend, lm.Store, func(scope *model.Scope, tokens, labels *Node) *Node {
			return loss.SparseCategoricalCrossEntropyLogits([]*Node{labels}, []*Node{lm.modelFn(scope, tokens)})
		})
		if err != nil {
			return 0, err
		}
		lm.loss = e
	}
	xs, ys := tensors.MustCopyFlatData[int32](x), tensors.MustCopyFlatData[int32](y)
	total, batches := 0.0, n/ValBatch
	for b := range batches {
		lo, hi := b*ValBatch*seqLen, (b+1)*ValBatch*seqLen
		out, err := lm.loss.Exec(tensors.FromFlatDataAndDimensions(xs[lo:hi], ValBatch, seqLen),
			tensors.FromFlatDataAndDimensions(ys[lo:hi], ValBatch, seqLen, 1))
		if err != nil {
			return 0, fmt.Errorf("rnn.Loss: %w", err)
		}
		total += float64(tensors.MustCopyFlatData[float32](out[0])[0])
	}
	loss := total / float64(batches)
	if math.IsNaN(loss) {
		return 0, fmt.Errorf("rnn.Loss: the loss is NaN")
	}
	return loss, nil
}
