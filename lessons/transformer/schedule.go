package transformer

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer/cosineschedule"
)

// Schedule is the learning-rate schedule of GPT-style training (nanoGPT's
// get_lr): a linear warm-up over Warmup steps to LearningRate, then a cosine
// decay to MinLR at step Steps. Big steps early, while Adam's estimates are
// still poor, make Transformer training unstable; small steps at the end let
// it settle into a minimum.
type Schedule struct {
	LearningRate, MinLR float64
	Warmup, Steps       int
}

// Apply adds the schedule to the training graph, through GoMLX's
// cosineschedule (it only acts while training). Call it at the start of the
// model function, with the trainer's scope.
func (s Schedule) Apply(scope *model.Scope, g *graph.Graph) {
	if s.Steps <= s.Warmup {
		return
	}
	cosineschedule.New(scope, g, dtypes.Float32).LearningRate(s.LearningRate).MinLearningRate(s.MinLR).
		WarmUpSteps(s.Warmup).PeriodSteps(s.Steps - s.Warmup).Done()
}
