package finetune

import (
	"math/rand/v2"
	"testing"

	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/tensors"
)

// BenchmarkSentimentTrainStep times one fine-tuning step (forward,
// backward, AdamW) of the notebook's sentiment run: lesson 07's encoder
// (1 layer, width 128, 3,300 tokens), 64 reviews of 48 tokens. The weights
// start random, so no checkpoint or data is needed:
//
//	go test -run '^$' -bench SentimentTrainStep -benchtime 100x ./lessons/finetune
//
// The first step (graph building and XLA compilation) is left out.
func BenchmarkSentimentTrainStep(b *testing.B) {
	backend, err := mlx.Backend()
	if err != nil {
		b.Skipf("no backend: %v", err)
	}
	bert := &pretrain.BERT{Config: pretrain.DefaultBERTConfig().Model}
	bert.Config.SrcVocab = 3300
	cfg := DefaultSentimentConfig()
	_, trainer, err := newClassifierTrainer(backend, Start{BERT: bert, Init: Random}, cfg)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	examples := make([]Encoded, cfg.Batch)
	for i := range examples {
		examples[i] = Encoded{A: make([]int32, 5+rng.IntN(60)), Label: rng.IntN(2)} // 5-64 tokens, cut at 46
		for k := range examples[i].A {
			examples[i].A[k] = int32(5 + rng.IntN(bert.Config.SrcVocab-5))
		}
	}
	batch := batchOf(examples, cfg.MaxLen)
	mlx.BenchSteps(b, func() error {
		metrics, err := trainer.TrainStep(batch)
		if err == nil {
			_ = tensors.MustCopyFlatData[float32](metrics[0]) // wait for the step to finish
		}
		return err
	}, "tokens", cfg.Batch*cfg.MaxLen)
}
