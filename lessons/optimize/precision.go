package optimize

import (
	"fmt"
	"path"

	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/gomlx/gomlx/support/exceptions"
)

// GradientOptimizer is an optimizer that also applies gradients computed
// by someone else (GoMLX's train.OptimizeWithGradients: pretrain.AdamW,
// GoMLX's Adam and SGD).
type GradientOptimizer interface {
	optimizer.Interface
	train.OptimizeWithGradients
}

// Where MixedPrecision keeps its state: the fp32 master weights under
// MasterScope (mirroring the model's paths), the loss scale and counters
// under StateScope.
const (
	MasterScope = "/master"
	StateScope  = "/mixed_precision"
)

// MixedPrecision is mixed-precision training as Micikevicius et al. (2018,
// "Mixed Precision Training") describe it, written out for this lesson
// (GoMLX has the dtypes but no such optimizer):
//
//  1. The model computes in a 16-bit dtype: its weights (the variables the
//     model creates) and activations are bf16 or fp16; the loss is
//     computed in fp32.
//  2. Every weight also has an fp32 master copy. The gradients are
//     converted to fp32 and the Inner optimizer updates the master copy;
//     the model's 16-bit weights are then the master copy rounded. An
//     update smaller than half a 16-bit step (lr·g ≪ w·2⁻⁸ for bf16) would
//     be lost if applied to the 16-bit weight itself; it accumulates in the
//     master.
//  3. Loss scaling (fp16): fp16's smallest number is 6·10⁻⁸, and many
//     gradients are smaller, so they become 0. Multiplying the loss by S
//     before the backward pass multiplies every gradient by S and lifts
//     them into range; they are divided by S again in fp32. Dynamic
//     scaling: if any gradient overflowed (inf or NaN), the update is
//     skipped and S halves; after GrowEvery good steps S doubles.
//
// An update whose gradients are not all finite is skipped, with or without
// loss scaling. A skipped update leaves the weights where they were (the learning rate
// is 0 for that step) but still ages Adam's moment estimates, which
// PyTorch's GradScaler, skipping the optimizer altogether, does not.
//
// The state variables (MasterScope, StateScope) can be read after training:
// "scale", "skipped" (updates skipped) and "zero_grads" (the fraction of the
// last step's 16-bit gradient entries that were exactly zero).
type MixedPrecision struct {
	Inner     GradientOptimizer
	LossScale float64 // initial S; 0 means no loss scaling
	GrowEvery int     // good steps before S doubles; 0 means 100
}

// UpdateGraph implements optimizer.Interface.
func (o MixedPrecision) UpdateGraph(scope *model.Scope, g *graph.Graph, loss *graph.Node) {
	if loss.DType() != dtypes.Float32 {
		exceptions.Panicf("optimize.MixedPrecision: compute the loss in fp32, got %s", loss.DType())
	}
	var weights []*model.Variable // the 16-bit weights, in gradient order
	for v := range scope.IterVariables() {
		if v.Trainable && v.InUseByGraph(g) {
			weights = append(weights, v)
		}
	}
	state := scope.Store().Scope(StateScope)
	f32 := func(name string, value float32) *model.Variable {
		return state.VariableWithValue(name, value).SetTrainable(false)
	}
	scaled, scale := loss, graph.ScalarOne(g, dtypes.Float32)
	var scaleVar *model.Variable
	if o.LossScale > 0 {
		scaleVar = f32("scale", float32(o.LossScale))
		scale = scaleVar.NodeValue(g)
		scaled = graph.Mul(loss, scale)
	}
	grads := scope.BuildTrainableVariablesGradientsGraph(scaled) // 16-bit, scaled by S

	// To fp32, unscaled; count the entries that underflowed to zero.
	finite := graph.Const(g, true)
	zeros, total := graph.ScalarZero(g, dtypes.Float32), 0
	for i, gr := range grads {
		zeros = graph.Add(zeros, graph.ReduceAllSum(graph.ConvertDType(graph.Equal(gr, graph.ZerosLike(gr)), dtypes.Float32)))
		total += gr.Shape().Size()
		grads[i] = graph.Div(graph.ConvertDType(gr, dtypes.Float32), scale)
		finite = graph.LogicalAnd(finite, graph.LogicalAll(graph.IsFinite(grads[i])))
	}
	f32("zero_grads", 0).SetNodeValue(graph.DivScalar(zeros, float64(total)))

	// The fp32 master weights: on the first step, the 16-bit weights' values.
	ready := f32("ready", 0)
	isReady := graph.GreaterThan(ready.NodeValue(g), graph.ScalarZero(g, dtypes.Float32))
	masters := map[string]*graph.Node{} // master path -> fp32 gradient
	for i, w := range weights {
		m := scope.Store().Scope(path.Join(MasterScope, w.Scope())).VariableWithShape(w.Name(), shapes.Make(dtypes.Float32, w.Shape().Dimensions...)).SetTrainable(false)
		m.SetNodeValue(graph.Where(isReady, m.NodeValue(g), graph.ConvertDType(w.NodeValue(g), dtypes.Float32)))
		masters[m.Path()] = graph.Where(finite, grads[i], graph.ZerosLike(grads[i]))
	}
	ready.SetNodeValue(graph.OnesLike(ready.NodeValue(g)))

	// The inner optimizer updates the masters: for its call they are the
	// trainable variables, the 16-bit weights are not. (It runs on the root
	// scope so that it finds the learning rate the schedule set.) A step
	// with an overflow gets learning rate 0.
	var masterGrads []*graph.Node
	for m := range scope.Store().Scope(MasterScope).IterVariables() {
		if gr, ok := masters[m.Path()]; ok {
			masterGrads = append(masterGrads, gr)
			m.SetTrainable(true)
		}
	}
	for _, w := range weights {
		w.SetTrainable(false)
	}
	lrVar := optimizer.LearningRateVar(scope, dtypes.Float32, optimizer.AdamDefaultLearningRate)
	lr := lrVar.NodeValue(g)
	lrVar.SetNodeValue(graph.Where(finite, lr, graph.ZerosLike(lr)))
	o.Inner.UpdateGraphWithGradients(scope, masterGrads, dtypes.Float32)
	lrVar.SetNodeValue(lr)
	for _, w := range weights {
		w.SetTrainable(true)
		scope.Store().GetVariable(path.Join(MasterScope, w.Path())).SetTrainable(false)
	}

	// The 16-bit weights are the masters rounded.
	for _, w := range weights {
		m := scope.Store().GetVariable(path.Join(MasterScope, w.Path()))
		w.SetNodeValue(graph.ConvertDType(m.NodeValue(g), w.DType()))
	}

	// Dynamic loss scale.
	skipped := f32("skipped", 0)
	skipped.SetNodeValue(graph.Add(skipped.NodeValue(g), graph.Where(finite, graph.ScalarZero(g, dtypes.Float32), graph.ScalarOne(g, dtypes.Float32))))
	if o.LossScale > 0 {
		grow := o.GrowEvery
		if grow <= 0 {
			grow = 100
		}
		goodVar := f32("good_steps", 0)
		good := graph.Where(finite, graph.AddScalar(goodVar.NodeValue(g), 1), graph.ScalarZero(g, dtypes.Float32))
		doubling := graph.GreaterOrEqual(good, graph.Scalar(g, dtypes.Float32, grow))
		scaleVar.SetNodeValue(graph.Where(finite,
			graph.Where(doubling, graph.MulScalar(scale, 2), scale),
			graph.MaxScalar(graph.DivScalar(scale, 2), 1)))
		goodVar.SetNodeValue(graph.Where(doubling, graph.ScalarZero(g, dtypes.Float32), good))
	}
}

// Clear implements optimizer.Interface.
func (o MixedPrecision) Clear(scope *model.Scope) error { return o.Inner.Clear(scope) }

// NextLossScale is MixedPrecision's dynamic loss-scaling rule written in
// Go (the graph computes the same): after an overflow the scale halves
// (never below 1) and the count of good steps restarts; otherwise the
// count grows, and when it reaches growEvery the scale doubles and the
// count restarts.
//
//	NextLossScale(1024, 99, false, 100) = 2048, 0
//	NextLossScale(1024, 42, true, 100)  = 512, 0
func NextLossScale(scale float64, good int, overflow bool, growEvery int) (float64, int) {
	if overflow {
		return max(scale/2, 1), 0
	}
	if good+1 >= growEvery {
		return scale * 2, 0
	}
	return scale, good + 1
}

// Supported trains a tiny GPT for one step in precision p on the backend
// and returns why it cannot, if it cannot (the pure-Go backend, for one, has
// no fp16 scatter-add, which the embedding's gradient needs).
func Supported(backend compute.Backend, p Precision) error {
	dtype, err := p.DType()
	if err != nil {
		return err
	}
	mc := transformer.Config{Dim: 8, Heads: 2, DecoderLayers: 1, MLPRatio: 2, MaxLen: 4, TgtVocab: 5, TieEmbeddings: true, DType: dtype}
	modelFn := func(scope *model.Scope, tokens *graph.Node) *graph.Node {
		return graph.ConvertDType(transformer.DecoderOnly(scope, tokens, mc), dtypes.Float32)
	}
	var opt optimizer.Interface = pretrain.AdamW{Beta2: 0.99}
	if dtype != dtypes.Float32 {
		opt = MixedPrecision{Inner: pretrain.AdamW{Beta2: 0.99}, LossScale: 1}
	}
	defer unfused16Bit(backend, dtype)()
	trainer := train.NewTrainer(backend, newStore(1), modelFn, loss.SparseCategoricalCrossEntropyLogits, opt, nil, nil)
	x := tensors.FromFlatDataAndDimensions([]int32{1, 2, 3, 4, 0, 1, 2, 3}, 2, 4)
	y := tensors.FromFlatDataAndDimensions([]int32{2, 3, 4, 0, 1, 2, 3, 4}, 2, 4, 1)
	_, err = trainer.TrainStep(train.Batch{Inputs: []*tensors.Tensor{x}, Labels: []*tensors.Tensor{y}})
	if err != nil {
		return fmt.Errorf("backend %q cannot train in %s: %w", backend.Name(), p, err)
	}
	return nil
}
