package pretrain

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/gomlx/gomlx/support/exceptions"
)

// AdamW is nanoGPT's optimizer (PyTorch's AdamW as nanoGPT configures it):
// GoMLX's Adam on gradients clipped to a global norm of at most Clip, plus
// decoupled weight decay, θ ← θ − lr·Decay·θ, on the matrices only
// (embeddings and dense weights), not on biases or layer-norm gains and
// offsets. GoMLX's own Adam().WeightDecay decays every variable, and it has
// no global-norm clipping, hence this small wrapper.
type AdamW struct {
	Beta2, Decay, Clip float64
}

// UpdateGraph implements optimizer.Interface.
func (o AdamW) UpdateGraph(scope *model.Scope, g *graph.Graph, loss *graph.Node) {
	o.UpdateGraphWithGradients(scope, scope.BuildTrainableVariablesGradientsGraph(loss), loss.DType())
}

// UpdateGraphWithGradients applies the update from gradients already
// computed, one per trainable variable of scope used by the graph, in the
// order of scope.BuildTrainableVariablesGradientsGraph. GoMLX's
// Trainer.AccumulateGradients calls it with the mean of several
// micro-batches' gradients (lesson 11).
func (o AdamW) UpdateGraphWithGradients(scope *model.Scope, grads []*graph.Node, lossDType dtypes.DType) {
	adam, ok := optimizer.Adam().Betas(0.9, o.Beta2).Epsilon(1e-8).Done().(train.OptimizeWithGradients)
	if !ok {
		exceptions.Panicf("pretrain.AdamW: GoMLX's Adam no longer takes gradients directly")
	}
	if len(grads) == 0 {
		exceptions.Panicf("pretrain.AdamW: no gradients (no trainable variables?)")
	}
	g := grads[0].Graph()
	var vars []*model.Variable // in the order of BuildTrainableVariablesGradientsGraph
	for v := range scope.IterVariables() {
		if v.Trainable && v.InUseByGraph(g) {
			vars = append(vars, v)
		}
	}
	if len(vars) != len(grads) {
		exceptions.Panicf("pretrain.AdamW: %d gradients for %d trainable variables", len(grads), len(vars))
	}
	if o.Clip > 0 { // scale all gradients by min(1, Clip/‖g‖), ‖g‖ over every parameter at once
		sumSq := graph.ScalarZero(g, lossDType)
		for _, gr := range grads {
			sumSq = graph.Add(sumSq, graph.ReduceAllSum(graph.Square(graph.ConvertDType(gr, lossDType))))
		}
		scale := graph.MinScalar(graph.Div(graph.Scalar(g, lossDType, o.Clip), graph.AddScalar(graph.Sqrt(sumSq), 1e-6)), 1)
		for i := range grads {
			grads[i] = graph.Mul(grads[i], graph.ConvertDType(scale, grads[i].DType()))
		}
	}
	before := make([]*graph.Node, len(vars))
	for i, v := range vars {
		before[i] = v.NodeValue(g)
	}
	adam.UpdateGraphWithGradients(scope, grads, lossDType)
	if o.Decay <= 0 {
		return
	}
	lr := optimizer.LearningRateVar(scope, lossDType, optimizer.AdamDefaultLearningRate).NodeValue(g)
	for i, v := range vars {
		if v.Shape().Rank() >= 2 {
			decay := graph.ConvertDType(graph.MulScalar(lr, o.Decay), v.DType())
			v.SetNodeValue(graph.Sub(v.NodeValue(g), graph.Mul(decay, before[i])))
		}
	}
}

// Clear implements optimizer.Interface.
func (o AdamW) Clear(scope *model.Scope) error { return optimizer.Adam().Done().Clear(scope) }
