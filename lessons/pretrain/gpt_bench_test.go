package pretrain

import (
	"fmt"
	"sync"
	"testing"

	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
)

// BenchmarkGPTTrainStep times one training step (forward, backward, AdamW)
// of the notebook's GPT, NanoGPTConfig (4 layers, 4 heads, 128 wide,
// batch 12 × 64 characters), built as TrainGPT builds it and fed by the
// same mlx.Windows:
//
//	BAEUM_DATA=/path/to/shared/data go test -run '^$' -bench GPTTrainStep -benchtime 200x ./lessons/pretrain
//
// The first step (graph building and XLA compilation) is left out. The
// PyTorch counterpart is bench/pytorch_gpt.py.
func BenchmarkGPTTrainStep(b *testing.B) {
	step, err := gptBenchStep()
	if err != nil {
		b.Skip(err)
	}
	cfg := NanoGPTConfig()
	mlx.BenchSteps(b, step, "tokens", cfg.Batch*cfg.Model.MaxLen)
}

// gptBenchStep builds the trainer once per process (the testing package
// calls a benchmark twice, with b.N = 1 and then b.N = the count, and each
// XLA compilation takes seconds).
var gptBenchStep = sync.OnceValues(func() (func() error, error) {
	data, err := LoadShakespeare()
	if err != nil {
		return nil, fmt.Errorf("no Shakespeare text: %w", err)
	}
	backend, err := mlx.Backend()
	if err != nil {
		return nil, fmt.Errorf("no backend: %w", err)
	}
	cfg := NanoGPTConfig()
	cfg.Model.TgtVocab = data.Vocab.Size()
	ds, err := mlx.NewWindows("shakespeare", [][]int32{data.Train}, cfg.Batch, cfg.Model.MaxLen, cfg.Seed)
	if err != nil {
		return nil, err
	}
	store := model.NewStore() // as TrainGPT
	store.SetParam(model.ParamInitialSeed, int64(cfg.Seed))
	modelFn := func(scope *model.Scope, tokens *graph.Node) *graph.Node {
		cfg.Schedule.Apply(scope, tokens.Graph())
		return transformer.DecoderOnly(scope, tokens, cfg.Model)
	}
	adamW := AdamW{Beta2: cfg.Beta2, Decay: cfg.WeightDecay, Clip: cfg.Clip}
	trainer := train.NewTrainer(backend, store, modelFn, loss.SparseCategoricalCrossEntropyLogits, adamW, nil, nil)
	return func() error {
		x, y := ds.Next()
		metrics, err := trainer.TrainStep(train.Batch{Inputs: []*tensors.Tensor{x}, Labels: []*tensors.Tensor{y}})
		if err != nil {
			return err
		}
		_ = metrics[0].Value() // wait for the step to finish
		return nil
	}, nil
})
