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

// TestSchedule reads Adam's learning rate during training, as GoMLX's
// cosineschedule sets it, and compares it with Schedule.At at every step.
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
		if want := s.At(step); math.Abs(lr-want) > 1e-7 {
			t.Errorf("step %d: GoMLX's learning rate %.6g, Schedule.At %.6g", step, lr, want)
		}
	}
}

// TestScheduleAt checks At on values worked out by hand: the warm-up's
// ends and middle, the cosine's middle (cos(π/2) = 0: halfway between the
// rates) and end, after the end, and no schedule.
func TestScheduleAt(t *testing.T) {
	s := Schedule{LearningRate: 1e-3, MinLR: 1e-4, Warmup: 10, Steps: 110}
	for _, c := range []struct {
		s    Schedule
		step int
		want float64
	}{
		{s, 0, 1e-4}, {s, 5, 5.5e-4}, {s, 10, 1e-3}, {s, 60, 5.5e-4}, {s, 110, 1e-4}, {s, 500, 1e-4},
		{Schedule{LearningRate: 2e-3, MinLR: 0, Warmup: 0, Steps: 4}, 2, 1e-3},
		{Schedule{LearningRate: 2e-3, MinLR: 1e-4, Warmup: 5, Steps: 5}, 3, 2e-3},
	} {
		if got := c.s.At(c.step); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%+v.At(%d) = %.6g, want %.6g", c.s, c.step, got, c.want)
		}
	}
}
