package attention

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers"
	gomlxattention "github.com/gomlx/gomlx/ml/layers/attention"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	"github.com/gomlx/gomlx/support/exceptions"
)

// SplitHeads cuts the feature axis into heads: [batch, seq, heads*headDim]
// becomes [batch, heads, seq, headDim], so that every head attends on its own
// headDim-wide slice of the features.
func SplitHeads(x *graph.Node, heads int) *graph.Node {
	batch, seq, dModel := x.Shape().Dim(0), x.Shape().Dim(1), x.Shape().Dim(2)
	if dModel%heads != 0 {
		exceptions.Panicf("attention.SplitHeads: %d features do not split into %d heads", dModel, heads)
	}
	headDim := dModel / heads
	x = graph.Reshape(x, batch, seq, heads, headDim) // [batch, seq, heads, headDim]
	x = graph.TransposeAllAxes(x, 0, 2, 1, 3)        // [batch, heads, seq, headDim]
	x.AssertDims(batch, heads, seq, headDim)
	return x
}

// MergeHeads undoes SplitHeads: [batch, heads, seq, headDim] becomes
// [batch, seq, heads*headDim], the heads' outputs side by side.
func MergeHeads(x *graph.Node) *graph.Node {
	batch, heads, seq, headDim := x.Shape().Dim(0), x.Shape().Dim(1), x.Shape().Dim(2), x.Shape().Dim(3)
	x = graph.TransposeAllAxes(x, 0, 2, 1, 3)       // [batch, seq, heads, headDim]
	x = graph.Reshape(x, batch, seq, heads*headDim) // [batch, seq, dModel]
	x.AssertDims(batch, seq, heads*headDim)
	return x
}

// MultiHead is multi-head attention written from the steps above:
//
//	Q = query·W_Q + b_Q, K = keyValue·W_K + b_K, V = keyValue·W_V + b_V
//	head_h = attention(Q_h, K_h, V_h)   for each slice h of the features
//	output = concat(head_1, ..., head_H)·W_O + b_O
//
// query is [batch, q, dModel], keyValue is [batch, k, dModel] (the same node
// for self-attention; the encoder's output for cross-attention). mask is
// [q, k] or [batch, q, k] or nil. It returns the output [batch, q, dModel]
// and the weights [batch, heads, q, k].
//
// The variables live where GoMLX's own layer (ml/layers/attention) keeps
// them, "MultiHeadAttention/{query,key,value,output}/dense/{weights,biases}",
// so that both layers can run on the same weights (CompareWithGoMLX).
func MultiHead(scope *model.Scope, query, keyValue *graph.Node, heads int, mask *graph.Node) (output, weights *graph.Node) {
	output = multiHead(scope, query, keyValue, heads, func(q, k, v *graph.Node) *graph.Node {
		var o *graph.Node
		o, weights = ScaledDotProductAttention(q, k, v, mask) // [batch, heads, q, headDim], [batch, heads, q, k]
		return o
	})
	return output, weights
}

// Attend computes attention from each head's queries, keys and values,
// [batch, heads, seq, headDim], and returns [batch, heads, seq, headDim].
// ScaledDotProductAttention with a mask is one; lesson 13 writes cheaper
// ones.
type Attend func(q, k, v *graph.Node) *graph.Node

// MultiHeadWith is MultiHead with the attention step supplied (it returns
// no weights: a cheaper attention never builds the full matrix). It uses
// the same variables as MultiHead.
func MultiHeadWith(scope *model.Scope, query, keyValue *graph.Node, heads int, attend Attend) *graph.Node {
	return multiHead(scope, query, keyValue, heads, attend)
}

func multiHead(scope *model.Scope, query, keyValue *graph.Node, heads int, attend Attend) *graph.Node {
	scope = scope.In("MultiHeadAttention")
	batch, nq, dModel := query.Shape().Dim(0), query.Shape().Dim(1), query.Shape().Dim(2)
	q := layers.Dense(scope.In("query"), query, true, dModel)    // [batch, q, dModel]
	k := layers.Dense(scope.In("key"), keyValue, true, dModel)   // [batch, k, dModel]
	v := layers.Dense(scope.In("value"), keyValue, true, dModel) // [batch, k, dModel]
	q, k, v = SplitHeads(q, heads), SplitHeads(k, heads), SplitHeads(v, heads)
	output := MergeHeads(attend(q, k, v)) // [batch, q, dModel]
	output = layers.Dense(scope.In("output"), output, true, dModel)
	output.AssertDims(batch, nq, dModel)
	return output
}

// Comparison is what CompareWithGoMLX found.
type Comparison struct {
	Variables                    []string  // the weights both layers read
	MaxOutputDiff, MaxWeightDiff float64   // largest |mine − GoMLX's|
	Mine, Theirs                 []float32 // the first few output values of each
}

// CompareWithGoMLX runs MultiHead and GoMLX's attention.MultiHeadAttention
// in one graph, on the same store (MultiHead creates the weights, GoMLX's
// layer reads them), on random inputs of shape [batch, seq, dModel] with the
// given mask ([batch, seq, seq] booleans, or nil), and reports the largest
// differences of outputs and of attention weights.
func CompareWithGoMLX(backend compute.Backend, batch, seq, dModel, heads int, mask [][][]bool, seed uint64) (Comparison, error) {
	rng := rand.New(rand.NewPCG(seed, 7))
	x := make([]float32, batch*seq*dModel)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	if mask == nil {
		mask = make([][][]bool, batch)
		for b := range mask {
			mask[b] = make([][]bool, seq)
			for i := range mask[b] {
				mask[b][i] = slices.Repeat([]bool{true}, seq)
			}
		}
	}
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(seed))
	exec, err := model.NewExec(backend, store, func(scope *model.Scope, x, mask *graph.Node) []*graph.Node {
		// Random biases too (by default they start at zero), so that they are compared as well.
		scope = scope.WithInitializer(initializer.RandomNormalFn(scope, 0.5))
		mine, w := MultiHead(scope, x, x, heads, mask)
		theirs, coef := gomlxattention.MultiHeadAttention(scope.ResetVisited(), x, x, x, heads, dModel/heads).
			WithQueryKeyMatrixMask(mask).DoneWithCoefficients()
		coef = graph.TransposeAllAxes(coef, 0, 2, 1, 3) // [batch, q, heads, k] -> [batch, heads, q, k]
		maxDiff := func(a, b *graph.Node) *graph.Node { return graph.ReduceAllMax(graph.Abs(graph.Sub(a, b))) }
		return []*graph.Node{maxDiff(mine, theirs), maxDiff(w, coef), mine, theirs}
	})
	if err != nil {
		return Comparison{}, err
	}
	out, err := exec.Exec(tensors.FromFlatDataAndDimensions(x, batch, seq, dModel), tensors.FromValue(mask))
	if err != nil {
		return Comparison{}, fmt.Errorf("attention.CompareWithGoMLX: %w", err)
	}
	c := Comparison{MaxOutputDiff: float64(out[0].Value().(float32)), MaxWeightDiff: float64(out[1].Value().(float32))}
	n := min(4, batch*seq*dModel)
	c.Mine = tensors.MustCopyFlatData[float32](out[2])[:n]
	c.Theirs = tensors.MustCopyFlatData[float32](out[3])[:n]
	for v := range store.IterVariables() {
		if !strings.HasPrefix(v.Path(), "/MultiHeadAttention/") {
			continue // the random number generator's state
		}
		c.Variables = append(c.Variables, fmt.Sprintf("%s %v", v.Path(), v.Shape()))
	}
	slices.Sort(c.Variables)
	return c, nil
}
