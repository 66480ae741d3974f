package finetune

import (
	"fmt"
	"sort"
	"strings"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// BagOfWords is the baseline any engineer tries first: logistic regression
// on which words a text contains. A text is a vector with a 1 for each
// vocabulary word in it (words split on spaces, as written), and one Dense
// layer turns that into class logits: each word gets a learned weight per
// class, and a text's score is the sum of its words' weights. No word
// order, no subwords, no pretraining.
type BagOfWords struct {
	Vocab   map[string]int
	Classes []string
	Store   *model.Store
	History *mlx.History
}

// BagConfig sizes the baseline.
type BagConfig struct {
	VocabSize    int // most frequent training words kept
	Batch, Steps int
	LearningRate float64
	Seed         uint64
}

// bagVocab keeps the size most frequent words of the examples' A texts.
func bagVocab(examples []Example, size int) map[string]int {
	counts := map[string]int{}
	for _, e := range examples {
		for _, w := range strings.Fields(e.A) {
			counts[w]++
		}
	}
	words := make([]string, 0, len(counts))
	for w := range counts {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		if counts[words[i]] != counts[words[j]] {
			return counts[words[i]] > counts[words[j]]
		}
		return words[i] < words[j]
	})
	vocab := map[string]int{}
	for i, w := range words[:min(size, len(words))] {
		vocab[w] = i
	}
	return vocab
}

// vectors lays examples out as multi-hot rows [n, vocab] and labels [n, 1].
func (m *BagOfWords) vectors(examples []Example) train.Batch {
	v := len(m.Vocab)
	x := make([]float32, len(examples)*v)
	labels := make([]int32, len(examples))
	for i, e := range examples {
		for _, w := range strings.Fields(e.A) {
			if j, ok := m.Vocab[w]; ok {
				x[i*v+j] = 1
			}
		}
		labels[i] = int32(e.Label)
	}
	return train.Batch{Inputs: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(x, len(examples), v)},
		Labels: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(labels, len(examples), 1)}}
}

func (m *BagOfWords) logits(scope *model.Scope, x *graph.Node) *graph.Node {
	return layers.Dense(scope.In("bag"), x, true, len(m.Classes))
}

// TrainBagOfWords fits the baseline on single-text examples with Adam.
func TrainBagOfWords(backend compute.Backend, examples []Example, classes []string, cfg BagConfig) (*BagOfWords, error) {
	if len(examples) < cfg.Batch {
		return nil, fmt.Errorf("finetune.TrainBagOfWords: %d examples, fewer than one batch of %d", len(examples), cfg.Batch)
	}
	m := &BagOfWords{Vocab: bagVocab(examples, cfg.VocabSize), Classes: classes, Store: model.NewStore()}
	m.Store.SetParam(model.ParamInitialSeed, int64(cfg.Seed))
	trainer := train.NewTrainer(backend, m.Store, func(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
		return []*graph.Node{m.logits(scope, inputs[0])}
	}, loss.SparseCategoricalCrossEntropyLogits, optimizer.Adam().LearningRate(cfg.LearningRate).Done(), nil, nil)
	var err error
	m.History, err = mlx.Fit(train.NewLoop(trainer), &epochs[Example]{name: "bag of words", items: examples, batch: cfg.Batch,
		seed: cfg.Seed, layout: m.vectors}, cfg.Steps, 50)
	return m, err
}

// Accuracy is the share of examples the baseline classifies right.
func (m *BagOfWords) Accuracy(backend compute.Backend, examples []Example) (float64, error) {
	exec, err := model.NewExec(backend, m.Store, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return graph.ArgMax(m.logits(scope, x), -1)
	})
	if err != nil {
		return 0, err
	}
	right := 0
	const size = 1000
	for i := 0; i < len(examples); i += size {
		part := examples[i:min(i+size, len(examples))]
		out, err := exec.Exec(m.vectors(part).Inputs[0])
		if err != nil {
			return 0, fmt.Errorf("finetune.BagOfWords: %w", err)
		}
		for j, p := range tensors.MustCopyFlatData[int32](out[0]) {
			if int(p) == part[j].Label {
				right++
			}
		}
	}
	return float64(right) / float64(len(examples)), nil
}
