package efficient

import (
	"math"

	"github.com/baeum-go/baeum/lessons/attention"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/support/exceptions"
)

// Full is lesson 05's attention, softmax(QKᵀ/√d)V, on q, k, v of shape
// [batch, heads, n, d]: it builds the whole n×n matrix of scores, so time
// and memory grow as n². causal hides the future (key j > query i).
func Full(q, k, v *graph.Node, causal bool) *graph.Node {
	var mask *graph.Node
	if causal {
		mask = attention.CausalMask(q.Graph(), q.Shape().Dim(2))
	}
	out, _ := attention.ScaledDotProductAttention(q, k, v, mask)
	return out
}

// Blockwise is exact attention computed one block of keys at a time with an
// online softmax (Milakov & Gimelshein 2018; the idea of FlashAttention, Dao
// et al. 2022). It keeps, for every query, the largest score seen so far m,
// the sum of exponentials so far ℓ (relative to m) and the weighted sum of
// values so far o; a new block of scores s updates them:
//
//	m' = max(m, max_j s_j)
//	ℓ' = ℓ·e^(m−m') + Σ_j e^(s_j−m')
//	o' = o·e^(m−m') + Σ_j e^(s_j−m')·v_j
//
// and the output is o/ℓ: the same numbers as Full, but no matrix larger
// than n × block is ever built, so memory grows linearly in n. (FlashAttention
// also tiles the queries and keeps the tiles in a GPU's fast on-chip memory;
// that part is about hardware and is not shown here.) The key length must be
// a multiple of block.
func Blockwise(q, k, v *graph.Node, block int, causal bool) *graph.Node {
	g := q.Graph()
	b, h, n, d := q.Shape().Dim(0), q.Shape().Dim(1), q.Shape().Dim(2), q.Shape().Dim(3)
	nk, dv := k.Shape().Dim(2), v.Shape().Dim(3)
	if block <= 0 || nk%block != 0 {
		exceptions.Panicf("efficient.Blockwise: %d keys do not split into blocks of %d", nk, block)
	}
	nb := nk / block
	q = graph.MulScalar(q, 1/math.Sqrt(float64(d)))
	blocks := func(x *graph.Node) *graph.Node { // [b, h, nk, e] -> [nb, b·h·block·e], one row per block
		e := x.Shape().Dim(3)
		x = graph.TransposeAllAxes(graph.Reshape(x, b, h, nb, block, e), 2, 0, 1, 3, 4)
		return graph.Reshape(x, nb, b*h*block*e)
	}
	kBlocks, vBlocks := blocks(k), blocks(v)
	take := func(all, j *graph.Node, e int) *graph.Node { // block j of all: [b, h, block, e]
		return graph.Reshape(graph.Gather(all, graph.Reshape(j, 1)), b, h, block, e)
	}
	rows := shapeOf(q.DType(), b, h, n, 1)
	// A loop, not one graph node per block: XLA would otherwise compute all
	// the blocks' scores at once (they do not depend on each other) and hold
	// them all, n² memory again. The loop keeps one block alive at a time.
	state := []*graph.Node{graph.Const(g, int32(0)),
		graph.BroadcastToShape(graph.Infinity(g, q.DType(), -1), rows), // m: largest score so far
		graph.Zeros(g, rows),                            // ℓ: sum of e^(s−m) so far
		graph.Zeros(g, shapeOf(v.DType(), b, h, n, dv))} // o: sum of e^(s−m)·v so far
	params := func(g *graph.Graph) (j, m, l, o *graph.Node) {
		return graph.Parameter(g, "j", state[0].Shape()), graph.Parameter(g, "m", rows),
			graph.Parameter(g, "l", rows), graph.Parameter(g, "o", state[3].Shape())
	}
	cond := graph.NewClosure(g, func(g *graph.Graph) []*graph.Node {
		j, _, _, _ := params(g)
		return []*graph.Node{graph.LessThan(j, graph.Const(g, int32(nb)))}
	})
	body := graph.NewClosure(g, func(g *graph.Graph) []*graph.Node {
		j, m, l, o := params(g)
		s := graph.Einsum("bhqd,bhkd->bhqk", q, take(kBlocks, j, d)) // [b, h, n, block]
		if causal {
			qPos := graph.Iota(g, shapeOf(dtypes.Int32, n, block), 0)
			kPos := graph.Add(graph.Iota(g, shapeOf(dtypes.Int32, n, block), 1), graph.MulScalar(j, float64(block)))
			s = masked(s, graph.GreaterOrEqual(qPos, kPos))
		}
		mNew := graph.Max(m, rowMax(s))
		p := graph.Exp(graph.Sub(s, mNew))
		fix := graph.Exp(graph.Sub(m, mNew)) // rescales what was summed relative to the old maximum
		l = graph.Add(graph.Mul(l, fix), graph.MatMul(p, graph.Ones(g, shapeOf(p.DType(), block, 1))))
		o = graph.Add(graph.Mul(o, fix), graph.MatMul(p, take(vBlocks, j, dv)))
		return []*graph.Node{graph.AddScalar(j, 1), mNew, l, o}
	})
	final := graph.While(cond, body, state...)
	return graph.Div(final[3], final[2])
}

// rowMax is the maximum of each row of x [b, h, n, w], as [b, h, n, 1]: the
// larger of the two halves, halved again until one column is left. (Inside
// an XLA loop go-xla cannot build a reduction, so Blockwise takes the row
// maximum this way and the row sum as a product with a column of ones.)
func rowMax(x *graph.Node) *graph.Node {
	cols := func(x *graph.Node, from, to int) *graph.Node {
		return graph.Slice(x, graph.AxisRange(), graph.AxisRange(), graph.AxisRange(), graph.AxisRange(from, to))
	}
	for w := x.Shape().Dim(3); w > 1; w = x.Shape().Dim(3) {
		half := w / 2
		y := graph.Max(cols(x, 0, half), cols(x, half, 2*half))
		if w%2 == 1 {
			y = graph.Max(y, cols(x, w-1, w))
		}
		x = y
	}
	return x
}
