package transformer

import (
	"math"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// TestSchedule reads Adam's learning rate during training: it rises
// linearly during the warm-up, then follows the cosine down to MinLR
// (nanoGPT's get_lr, up to the first warm-up step).
func TestSchedule(t *testing.T) {
	s := Schedule{LearningRate: 1e-3, MinLR: 1e-4, Warmup: 4, Steps: 12}
	c := Config{TgtVocab: 5, Dim: 4, Heads: 1, DecoderLayers: 1, MLPRatio: 1, MaxLen: 3}
	store := model.NewStore()
	trainer := train.NewTrainer(mlx.MustBackend(), store, func(scope *model.Scope, x *graph.Node) *graph.Node {
		s.Apply(scope, x.Graph())
		return DecoderOnly(scope, x, c)
	}, loss.SparseCategoricalCrossEntropyLogits, optimizer.Adam().Done(), nil, nil)
	batch := func() train.Batch {
		return train.Batch{Inputs: []*tensors.Tensor{tensors.FromValue([][]int32{{1, 2, 3}})},
			Labels: []*tensors.Tensor{tensors.FromValue([][][]int32{{{2}, {3}, {4}}})}}
	}
	for step := range s.Steps {
		if _, err := trainer.TrainStep(batch()); err != nil {
			t.Fatal(err)
		}
		lr := float64(store.GetVariable("/" + optimizer.Scope + "/learning_rate").MustValue().Value().(float32))
		want := s.MinLR + (s.LearningRate-s.MinLR)*float64(step)/float64(s.Warmup)
		if step >= s.Warmup {
			ratio := float64(step-s.Warmup) / float64(s.Steps-s.Warmup)
			want = s.MinLR + 0.5*(1+math.Cos(math.Pi*ratio))*(s.LearningRate-s.MinLR)
		}
		if math.Abs(lr-want) > 1e-7 {
			t.Errorf("step %d: learning rate %.6g, want %.6g", step, lr, want)
		}
	}
}
