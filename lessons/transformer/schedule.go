package transformer

import (
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/gomlx/gomlx/ml/train/optimizer/cosineschedule"
)

// Schedule is the learning-rate schedule of GPT-style training (nanoGPT's
// get_lr): a linear warm-up from MinLR to LearningRate over Warmup steps,
// then a cosine decay to MinLR at step Steps (At gives the value at a step). Big steps early, while Adam's estimates are
// still poor, make Transformer training unstable; small steps at the end let
// it settle into a minimum.
type Schedule struct {
	LearningRate, MinLR float64
	Warmup, Steps       int
}

// Apply adds the schedule to the training graph, through GoMLX's
// cosineschedule (it only acts while training). Call it at the start of the
// model function, with the trainer's scope. With Steps <= Warmup there is
// no schedule: the optimizer's learning-rate variable is set to
// LearningRate, as At says (otherwise the optimizer would keep whatever
// rate it was built with, or GoMLX's default).
func (s Schedule) Apply(scope *model.Scope, g *graph.Graph) {
	if s.Steps <= s.Warmup {
		optimizer.LearningRateVar(scope, dtypes.Float32, s.LearningRate).SetValueGraph(graph.Scalar(g, dtypes.Float32, s.LearningRate))
		return
	}
	cosineschedule.New(scope, g, dtypes.Float32).LearningRate(s.LearningRate).MinLearningRate(s.MinLR).
		WarmUpSteps(s.Warmup).PeriodSteps(s.Steps - s.Warmup).Done()
}

// At is the learning rate of training step step (counted from 0), the
// value Apply makes GoMLX's cosineschedule compute, written out:
//
//	warm-up (step < Warmup):  MinLR + (LearningRate − MinLR) · step/Warmup
//	decay:                    MinLR + (LearningRate − MinLR) · (1 + cos(π·t))/2,  t = (step − Warmup)/(Steps − Warmup)
//
// After Steps it stays at MinLR (as nanoGPT's get_lr; GoMLX would start a
// new cosine, but training stops at Steps). With Steps <= Warmup there is no
// schedule: LearningRate throughout. The notebook's exercise checks a
// learner's version against it, and the tests check it against GoMLX.
//
//	Schedule{LearningRate: 1e-3, MinLR: 1e-4, Warmup: 10, Steps: 110}:
//	step 0 -> 1e-4, step 5 -> 5.5e-4, step 10 -> 1e-3, step 60 -> 5.5e-4, step 110 -> 1e-4
func (s Schedule) At(step int) float64 {
	if s.Steps <= s.Warmup {
		return s.LearningRate
	}
	span := s.LearningRate - s.MinLR
	if step < s.Warmup {
		return s.MinLR + span*float64(step)/float64(s.Warmup)
	}
	t := min(float64(step-s.Warmup)/float64(s.Steps-s.Warmup), 1) // 0 -> 1 over the decay
	return s.MinLR + span*(1+math.Cos(math.Pi*t))/2
}
