package cnn

import (
	"iter"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/metric"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/gomlx/gomlx/ml/train/optimizer/cosineschedule"
)

// BenchmarkTrainStep times one training step of the notebook's network at
// DefaultConfig("mnist"), built as Fit builds it (cosine schedule, Adam,
// moving-average accuracy):
//
//	BAEUM_DATA=/path/to/shared/data go test -run '^$' -bench TrainStep -benchtime 300x ./lessons/cnn
//
// The first step (graph building and XLA compilation) is left out.
func BenchmarkTrainStep(b *testing.B) {
	data, err := LoadData("mnist", "train", 4096)
	if err != nil {
		b.Skip("MNIST not available:", err)
	}
	backend, err := mlx.Backend()
	if err != nil {
		b.Skip("no backend:", err)
	}
	cfg := DefaultConfig("mnist")
	c := NewClassifier(backend, cfg.Seed)
	ds, err := data.Dataset(backend, cfg.BatchSize, cfg.Seed)
	if err != nil {
		b.Fatal(err)
	}
	schedule := func(scope *model.Scope, images *Node) *Node { // as Fit
		cosineschedule.New(scope, images.Graph(), dtypes.Float32).LearningRate(cfg.LearningRate).PeriodSteps(cfg.Steps).Done()
		return Model(scope, images)
	}
	trainer := train.NewTrainer(backend, c.Store, schedule, loss.SparseCategoricalCrossEntropyLogits,
		optimizer.Adam().LearningRate(cfg.LearningRate).Done(),
		[]metric.Interface{metric.NewMovingAverageSparseCategoricalAccuracy("Moving Average Accuracy", "~acc", 0.02)}, nil)
	next, stop := iter.Pull2(ds.Iter())
	defer stop()
	mlx.BenchSteps(b, func() error {
		batch, err, _ := next()
		if err == nil {
			var m []*tensors.Tensor
			if m, err = trainer.TrainStep(batch); err == nil {
				_ = m[0].Value() // wait for the step to finish
			}
		}
		return err
	}, "images", cfg.BatchSize)
}
