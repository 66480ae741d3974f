package rnn

import (
	"math/rand"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train"
)

// BenchmarkTrainStep times one training step (forward, backward, Adam) of
// the notebook's Shakespeare model at DefaultConfig's batch and window:
//
//	BAEUM_DATA=$PWD/../shared/data go test -run '^$' -bench TrainStep -benchtime 50x ./lessons/rnn
//
// The first step (graph building and XLA compilation) is left out.
func BenchmarkTrainStep(b *testing.B) {
	corpus, err := LoadCorpus(Shakespeare)
	if err != nil {
		b.Skipf("no Shakespeare text: %v", err)
	}
	cfg := DefaultConfig(Shakespeare)
	benchTrainStep(b, corpus, cfg)
}

func benchTrainStep(b *testing.B, corpus *Corpus, cfg Config) {
	backend, err := mlx.Backend()
	if err != nil {
		b.Skipf("no backend: %v", err)
	}
	lm := NewLM(backend, corpus.Vocab, cfg.Seed)
	trainer := lm.trainer(cfg)
	rng := rand.New(rand.NewSource(cfg.Seed))
	batch := func() train.Batch {
		x := make([]int32, 0, cfg.BatchSize*cfg.SeqLen)
		y := make([]int32, 0, cfg.BatchSize*cfg.SeqLen)
		for range cfg.BatchSize {
			start := rng.Intn(len(corpus.Train) - cfg.SeqLen - 1)
			x = append(x, corpus.Train[start:start+cfg.SeqLen]...)
			y = append(y, corpus.Train[start+1:start+cfg.SeqLen+1]...)
		}
		return train.Batch{
			Inputs: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(x, cfg.BatchSize, cfg.SeqLen)},
			Labels: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(y, cfg.BatchSize, cfg.SeqLen, 1)}}
	}
	mlx.BenchSteps(b, func() error {
		metrics, err := trainer.TrainStep(batch())
		if err == nil {
			_ = tensors.MustCopyFlatData[float32](metrics[0]) // wait for the step to finish
		}
		return err
	}, "tokens", cfg.BatchSize*cfg.SeqLen)
}
