package compress

import (
	"strings"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/metric"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// TeacherScope is where a student's store keeps its frozen copy of the
// teacher.
const TeacherScope = "teacher"

// StudentModel is lesson 03's network at half the width and two thirds of
// the depth: Conv(16)-pool-Conv(32)-pool, then Dense(32)-Dense(10), about a
// sixth of the teacher's weights. images [batch, 28, 28, 1] -> logits.
func StudentModel(scope *model.Scope, images *graph.Node) *graph.Node {
	scope = cnn.Keras(scope).In("student")
	conv := func(s *model.Scope, x *graph.Node, ch int) *graph.Node {
		return activation.Relu(layers.Convolution(s, x).Channels(ch).KernelSize(3).Done())
	}
	x := cnn.MaxPool2(conv(scope.In("conv1"), images, 16)) // [batch, 13, 13, 16]
	x = cnn.MaxPool2(conv(scope.In("conv2"), x, 32))       // [batch, 5, 5, 32]
	x = graph.Reshape(x, x.Shape().Dim(0), -1)
	x = activation.Relu(layers.Dense(scope.In("dense1"), x, true, 32))
	return layers.Dense(scope.In("dense2"), x, true, cnn.NumClasses)
}

// DistillConfig is one student's training run.
type DistillConfig struct {
	Steps, Batch int
	LearningRate float64
	Temperature  float64 // T of DistillationLoss
	Alpha        float64 // weight of the teacher's soft targets (0: labels only)
	Seed         int64
}

// DefaultDistillConfig: 600 steps of 64 (200 with mlx.Quick()), Adam at
// 2e-3, T = 4, alpha = 0.7.
func DefaultDistillConfig() DistillConfig {
	c := DistillConfig{Steps: 600, Batch: 64, LearningRate: 2e-3, Temperature: 4, Alpha: 0.7, Seed: 5}
	if mlx.Quick() {
		c.Steps = 200
	}
	return c
}

// Student is a trained StudentModel.
type Student struct {
	Store *model.Store
	eval  evaluator
}

// TrainStudent trains a fresh StudentModel on data: from the labels alone
// when teacher is nil, otherwise with DistillationLoss against the
// teacher's logits (a frozen copy of its weights lives in the student's
// store under TeacherScope).
func TrainStudent(backend compute.Backend, teacher *cnn.Classifier, data *cnn.Data, cfg DistillConfig) (*Student, *mlx.History, error) {
	s := &Student{Store: model.NewStore(), eval: evaluator{backend: backend}}
	s.Store.SetParam(model.ParamInitialSeed, cfg.Seed)
	if teacher != nil {
		ws, err := readWeights(teacher, "TrainStudent")
		if err != nil {
			return nil, nil, err
		}
		for _, w := range ws {
			c, err := s.Store.CreateVariable("/"+TeacherScope+w.path, tensors.FromFlatDataAndDimensions(w.values, w.dims...))
			if err != nil {
				return nil, nil, err
			}
			c.SetTrainable(false)
		}
	}
	modelFn := func(scope *model.Scope, images *graph.Node) []*graph.Node {
		out := []*graph.Node{StudentModel(scope, images)}
		if teacher != nil {
			out = append(out, graph.StopGradient(cnn.Model(scope.In(TeacherScope), images)))
		}
		return out
	}
	lossFn := func(labels, predictions []*graph.Node) *graph.Node {
		y := graph.Reshape(labels[0], -1)
		if teacher == nil {
			return DistillationLoss(predictions[0], predictions[0], y, 1, 0) // alpha 0: cross-entropy alone
		}
		return DistillationLoss(predictions[0], predictions[1], y, cfg.Temperature, cfg.Alpha)
	}
	ds, err := data.Dataset(backend, cfg.Batch, cfg.Seed)
	if err != nil {
		return nil, nil, err
	}
	// The labels' cross-entropy alone, recorded for both kinds of student
	// (History.Extra["ce"]), so that their curves can be compared.
	labelLoss := metric.NewBaseMetric("label cross-entropy", "ce", "loss", func(_ *model.Scope, labels, predictions []*graph.Node) *graph.Node {
		return DistillationLoss(predictions[0], predictions[0], graph.Reshape(labels[0], -1), 1, 0)
	}, nil)
	trainer := train.NewTrainer(backend, s.Store, modelFn, lossFn, optimizer.Adam().LearningRate(cfg.LearningRate).Done(), []metric.Interface{labelLoss}, nil)
	h, err := mlx.Fit(train.NewLoop(trainer), ds, cfg.Steps, min(cfg.Steps, 30))
	return s, h, err
}

// Evaluate scores the student on d.
func (s *Student) Evaluate(d *cnn.Data) (*cnn.Evaluation, error) {
	return s.eval.evaluate(s.Store, StudentModel, d)
}

// Params counts the student's own weights (not the teacher's copy).
func (s *Student) Params() int {
	n := 0
	for v := range s.Store.IterVariables() {
		if v.Trainable && strings.HasPrefix(v.Path(), "/student/") {
			n += v.Shape().Size()
		}
	}
	return n
}
