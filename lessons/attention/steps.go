package attention

import (
	"math"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/support/exceptions"
)

// Scores is the first step, S = Q Kᵀ: the dot product of every query with
// every key. q is [..., q, d_k], k is [..., k, d_k]; the result is
// [..., q, k], where row i says how well query i matches each key.
func Scores(q, k *graph.Node) *graph.Node {
	if q.Shape().Dim(-1) != k.Shape().Dim(-1) {
		exceptions.Panicf("attention.Scores: queries have %d features, keys %d", q.Shape().Dim(-1), k.Shape().Dim(-1))
	}
	kT := graph.Transpose(k, k.Rank()-2, k.Rank()-1) // [..., d_k, k]
	return graph.MatMul(q, kT)                       // [..., q, k]
}

// Scale divides the scores by √d_k. Without it, the scores of random
// d_k-dimensional vectors have variance d_k, the softmax saturates (one
// weight near 1, the rest near 0) and its gradients vanish; with it the
// variance stays near 1 whatever d_k is (see Variance).
func Scale(scores *graph.Node, dk int) *graph.Node {
	return graph.MulScalar(scores, 1/math.Sqrt(float64(dk)))
}

// CausalMask is the [q, k] boolean matrix that lets position i attend to
// positions j <= i only: true on and below the diagonal. A language model
// that predicts the next token must not look at it.
//
//	seqLen=3 -> [[1 0 0] [1 1 0] [1 1 1]]
func CausalMask(g *graph.Graph, seqLen int) *graph.Node {
	return graph.LowerTriangular(g, seqLen) // [q, k]
}

// PaddingMask turns valid, a [batch, k] boolean (false on padding tokens),
// into a [batch, 1, k] mask: no query may attend to a padding key.
func PaddingMask(valid *graph.Node) *graph.Node {
	valid.AssertRank(2)
	return graph.InsertAxes(valid, 1) // [batch, 1, k]
}

// AndMasks combines two masks (true = may attend) into one, broadcasting them
// to a common shape: CausalMask [q, k] and PaddingMask [batch, 1, k] give
// [batch, q, k].
func AndMasks(a, b *graph.Node) *graph.Node {
	if a.Rank() < b.Rank() {
		a, b = b, a
	}
	for b.Rank() < a.Rank() {
		b = graph.InsertAxes(b, 0)
	}
	dims := make([]int, a.Rank())
	for i := range dims {
		dims[i] = max(a.Shape().Dim(i), b.Shape().Dim(i))
	}
	return graph.LogicalAnd(graph.BroadcastToDims(a, dims...), graph.BroadcastToDims(b, dims...))
}

// ApplyMask replaces the scores where mask is false with −∞, so that the
// softmax gives them weight e^−∞ = 0. The mask is [q, k] or [batch, q, k]
// (axes of size 1 broadcast); for multi-head scores [batch, heads, q, k] the
// same mask is used by every head. A row must keep at least one true entry,
// or its softmax is 0/0.
func ApplyMask(scores, mask *graph.Node) *graph.Node {
	if mask == nil {
		return scores
	}
	switch {
	case mask.Rank() == 2:
		for mask.Rank() < scores.Rank() {
			mask = graph.InsertAxes(mask, 0) // [1, ..., q, k]
		}
	case mask.Rank() == 3 && scores.Rank() == 4:
		mask = graph.InsertAxes(mask, 1) // [batch, 1 (heads), q, k]
	case mask.Rank() != scores.Rank():
		exceptions.Panicf("attention.ApplyMask: mask %s does not fit scores %s", mask.Shape(), scores.Shape())
	}
	mask = graph.BroadcastToDims(mask, scores.Shape().Dimensions...)
	minusInf := graph.Infinity(scores.Graph(), scores.DType(), -1)
	return graph.Where(mask, scores, graph.BroadcastToDims(minusInf, scores.Shape().Dimensions...))
}

// Softmax turns each row of scores into weights that are positive and sum
// to 1: A_ij = e^(S_ij − m_i) / Σ_j e^(S_ij − m_i). Subtracting the row
// maximum m_i changes nothing mathematically and keeps e^x from overflowing.
func Softmax(scores *graph.Node) *graph.Node {
	rowMax := graph.StopGradient(graph.ReduceAndKeep(scores, graph.ReduceMax, -1)) // [..., q, 1]
	e := graph.Exp(graph.Sub(scores, rowMax))
	return graph.Div(e, graph.ReduceAndKeep(e, graph.ReduceSum, -1))
}

// WeightedSum is the last step, O = A V: each output row is the average of
// the value rows, weighted by that query's attention weights. weights is
// [..., q, k], v is [..., k, d_v]; the result is [..., q, d_v].
func WeightedSum(weights, v *graph.Node) *graph.Node {
	return graph.MatMul(weights, v)
}

// ScaledDotProductAttention chains the steps: softmax(mask(Q Kᵀ / √d_k)) V
// ("Attention Is All You Need", eq. 1). It returns the output [..., q, d_v]
// and the weights [..., q, k]. mask may be nil.
func ScaledDotProductAttention(q, k, v, mask *graph.Node) (output, weights *graph.Node) {
	dk := q.Shape().Dim(-1)
	scores := Scale(Scores(q, k), dk)          // [..., q, k]
	weights = Softmax(ApplyMask(scores, mask)) // [..., q, k]
	return WeightedSum(weights, v), weights    // [..., q, d_v]
}
