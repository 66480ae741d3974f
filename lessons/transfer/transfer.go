package transfer

import (
	"fmt"
	"math"
	"strings"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// NewHeadScope is where the new classifier lives; the base keeps lesson
// 03's scope (cnn.BaseScope), so its checkpoint's weights load into it.
const NewHeadScope = "new_head"

// NewHead is the seed's head on top of the frozen base:
// Flatten - Dense(256, relu) - Dense(10). features [batch, 576] -> logits
// [batch, 10] (the base already ends with Flatten).
func NewHead(scope *model.Scope, features *Node) *Node {
	x := activation.Relu(layers.Dense(scope.In("dense1"), features, true, 256))
	return layers.Dense(scope.In("dense2"), x, true, cnn.NumClasses)
}

// Model is lesson 03's convolutional base with the new head:
// images [batch, 28, 28, 1] -> logits [batch, 10].
func Model(scope *model.Scope, images *Node) *Node {
	scope = cnn.Keras(scope)
	return NewHead(scope.In(NewHeadScope), cnn.Base(scope.In(cnn.BaseScope), images))
}

// Net is a transfer network: its variables (base and new head) and whether
// the base is frozen.
type Net struct {
	Store   *model.Store
	backend compute.Backend
	Frozen  bool        // the base's variables are not trained
	predict *model.Exec // logits of a batch, built on first use
}

// FromScratch is the network with random weights everywhere.
func FromScratch(backend compute.Backend, seed int64) *Net {
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, seed)
	return &Net{Store: store, backend: backend}
}

// FromPretrained is the network whose base starts as a copy of a lesson-03
// network's base (a trained or loaded cnn.Classifier) and whose new head is
// random. The copy is independent: training it never changes clf.
func FromPretrained(backend compute.Backend, clf *cnn.Classifier, seed int64) (*Net, error) {
	n := FromScratch(backend, seed)
	// Run the lesson-03 network once so a loaded checkpoint's weights are
	// materialised in its store, then copy the base's.
	if _, err := clf.Predict(make([]float32, cnn.Size*cnn.Size), 1); err != nil {
		return nil, err
	}
	copied := 0
	for v := range clf.Store.IterVariables() {
		if IsBase(v.Path()) {
			value, err := v.Value()
			if err != nil {
				return nil, err
			}
			clone, err := value.LocalClone()
			if err != nil {
				return nil, err
			}
			if _, err := n.Store.CreateVariable(v.Path(), clone); err != nil {
				return nil, err
			}
			copied++
		}
	}
	if copied != 6 {
		return nil, fmt.Errorf("transfer: the lesson-03 network has %d base variables, want 6 (3 kernels, 3 biases)", copied)
	}
	return n, nil
}

// IsBase says whether the variable at path belongs to the base: its path
// starts with the base's scope, "/base/". This name filter picks the
// variables that FromPretrained copies and that Train freezes.
//
//	IsBase("/base/conv1/conv/weights")       = true
//	IsBase("/new_head/dense1/dense/weights") = false
//	IsBase("/basement/weights")              = false // a scope is a whole path element
func IsBase(path string) bool { return strings.HasPrefix(path, "/"+cnn.BaseScope+"/") }

// BaseVariables are the base's variables of the network (once built).
func (n *Net) BaseVariables() []*model.Variable {
	var vs []*model.Variable
	for v := range n.Store.IterVariables() {
		if IsBase(v.Path()) {
			vs = append(vs, v)
		}
	}
	return vs
}

// Stage is one training run of a transfer network.
type Stage struct {
	Steps        int
	BatchSize    int
	LearningRate float64
	EvalEvery    int // steps between two test-accuracy points of the curve
	Seed         int64
	Quiet        bool // no progress bar, no loss plot, no point before training (many short runs)
}

// Curve is test accuracy measured along a run.
type Curve struct {
	Name     string
	Steps    []float64 // global step of each point (fine-tuning continues the frozen run's count)
	Accuracy []float64
}

// Final is the last accuracy of the curve.
func (c *Curve) Final() float64 { return c.Accuracy[len(c.Accuracy)-1] }

// Train trains the network on train for stage.Steps steps with Adam and
// cross-entropy (only the new head when n.Frozen), measuring the accuracy
// on test every stage.EvalEvery steps, and returns the curve. The first
// point of the curve is the accuracy before training (not with Quiet).
func (n *Net) Train(name string, trainSet, test *cnn.Data, stage Stage) (*Curve, *mlx.History, error) {
	ds, err := trainSet.Dataset(n.backend, stage.BatchSize, stage.Seed)
	if err != nil {
		return nil, nil, err
	}
	modelFn := func(scope *model.Scope, images *Node) *Node {
		logits := Model(scope, images)
		for _, v := range n.BaseVariables() {
			v.SetTrainable(!n.Frozen) // read by the optimizer right after this function returns
		}
		return logits
	}
	trainer := train.NewTrainer(n.backend, n.Store, modelFn, loss.SparseCategoricalCrossEntropyLogits,
		optimizer.Adam().LearningRate(stage.LearningRate).Done(), nil, nil)
	loop := train.NewLoop(trainer)
	curve := &Curve{Name: name}
	start := float64(optimizer.GetGlobalStep(n.Store))
	measure := func(step float64) error {
		acc, err := n.Accuracy(test)
		curve.Steps, curve.Accuracy = append(curve.Steps, step), append(curve.Accuracy, acc)
		return err
	}
	if !stage.Quiet {
		if err := measure(start); err != nil {
			return nil, nil, err
		}
	}
	loop.OnStep("test accuracy", 100, func(loop *train.Loop, _ []*tensors.Tensor) error {
		if done := loop.LoopStep - loop.StartStep + 1; done%stage.EvalEvery == 0 || done == stage.Steps {
			return measure(float64(loop.LoopStep + 1)) // steps done so far
		}
		return nil
	})
	if stage.Quiet {
		_, err = loop.RunSteps(ds, stage.Steps)
		return curve, nil, err
	}
	hist, err := mlx.Fit(loop, ds, stage.Steps, min(stage.Steps, 50))
	return curve, hist, err
}

// Accuracy is the fraction of d's images the network classifies correctly.
func (n *Net) Accuracy(d *cnn.Data) (float64, error) {
	if n.predict == nil {
		e, err := model.NewExec(n.backend, n.Store, Model)
		if err != nil {
			return 0, err
		}
		n.predict = e
	}
	logits, err := cnn.InBatches(n.predict, d.X, d.N, cnn.NumClasses)
	if err != nil {
		return 0, err
	}
	return cnn.Score(logits, d).Accuracy, nil
}

// Snapshot copies the current values of the base's variables, by path.
func (n *Net) Snapshot() (map[string][]float32, error) {
	snap := map[string][]float32{}
	for _, v := range n.BaseVariables() {
		t, err := v.Value()
		if err != nil {
			return nil, err
		}
		snap[v.Path()] = tensors.MustCopyFlatData[float32](t)
	}
	return snap, nil
}

// MaxChange is the largest absolute difference between the base's weights
// now and in snap (0 means bit-for-bit unchanged), and how many values
// were compared.
func (n *Net) MaxChange(snap map[string][]float32) (maxDiff float64, count int, err error) {
	now, err := n.Snapshot()
	if err != nil {
		return 0, 0, err
	}
	if len(now) != len(snap) {
		return 0, 0, fmt.Errorf("transfer: %d base variables now, %d in the snapshot", len(now), len(snap))
	}
	for path, before := range snap {
		after := now[path]
		if len(after) != len(before) {
			return 0, 0, fmt.Errorf("transfer: %s changed size", path)
		}
		for i := range before {
			maxDiff = max(maxDiff, math.Abs(float64(after[i]-before[i])))
		}
		count += len(before)
	}
	return maxDiff, count, nil
}
