package efficient

import (
	"math"
	"math/rand/v2"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/support/exceptions"
)

// LSH describes Reformer's locality-sensitive-hashing attention (Kitaev et
// al. 2020).
type LSH struct {
	Buckets int    // hash buckets per round (even; 1 puts every token in one bucket)
	Rounds  int    // independent hashings; their outputs are combined
	Chunk   int    // tokens per chunk after sorting; n must be a multiple
	Seed    uint64 // draws the random rotations
}

// Hash puts every vector of x [batch, heads, n, d] into one of l.Buckets
// buckets, in each round: it projects x on l.Buckets/2 random directions R
// and takes the argmax of [xR, −xR] (Andoni et al. 2015's angular LSH).
// Vectors at a small angle tend to share a bucket; scaling a vector does not
// change its bucket. The result is int32 [rounds, batch, heads, n].
func (l LSH) Hash(x *graph.Node) *graph.Node {
	if (l.Buckets != 1 && (l.Buckets < 2 || l.Buckets%2 != 0)) || l.Rounds < 1 {
		exceptions.Panicf("efficient.LSH: need 1 or an even number of buckets and ≥ 1 round, got %d and %d", l.Buckets, l.Rounds)
	}
	b, h, n, d := x.Shape().Dim(0), x.Shape().Dim(1), x.Shape().Dim(2), x.Shape().Dim(3)
	if l.Buckets == 1 {
		return graph.Zeros(x.Graph(), shapeOf(dtypes.Int32, l.Rounds, b, h, n))
	}
	r := rand.New(rand.NewPCG(l.Seed, 0x15a))
	rot := make([]float32, l.Rounds*d*l.Buckets/2)
	for i := range rot {
		rot[i] = float32(r.NormFloat64())
	}
	R := graph.Reshape(graph.Const(x.Graph(), rot), l.Rounds, d, l.Buckets/2)
	proj := graph.Einsum("bhnd,rdk->rbhnk", graph.ConvertDType(x, dtypes.Float32), R)
	return graph.ArgMax(graph.Concatenate([]*graph.Node{proj, graph.Neg(proj)}, -1), -1, dtypes.Int32)
}

// Attend is shared-QK LSH attention: keys are the queries scaled to unit
// length (Reformer shares them so that a query and its keys hash alike).
// In each round the tokens are sorted by bucket (then position), cut into
// chunks of l.Chunk, and every token attends to the tokens of its chunk and
// of the chunk before that share its bucket; a token attends to itself only
// when nothing else is there. The rounds' outputs are averaged with weights
// given by how much attention mass each round found (the softmax of their
// log-sum-exps). Memory grows as n·2·Chunk per round instead of n². (The
// paper also corrects for a key found in several rounds, and lets the last
// chunk look back to the first; both are left out.)
func (l LSH) Attend(qk, v *graph.Node) *graph.Node {
	g := qk.Graph()
	b, h, n, d := qk.Shape().Dim(0), qk.Shape().Dim(1), qk.Shape().Dim(2), qk.Shape().Dim(3)
	dv := v.Shape().Dim(3)
	if l.Chunk <= 0 || n%l.Chunk != 0 {
		exceptions.Panicf("efficient.LSH: %d tokens do not split into chunks of %d", n, l.Chunk)
	}
	nc, c := n/l.Chunk, l.Chunk
	buckets := l.Hash(qk) // [rounds, b, h, n]
	keys := graph.Div(qk, graph.Sqrt(graph.ReduceAndKeep(graph.Square(qk), graph.ReduceSum, -1)))
	q := graph.MulScalar(qk, 1/math.Sqrt(float64(d)))
	rows := b * h
	flat := func(x *graph.Node) *graph.Node { return graph.Reshape(x, rows*n, x.Shape().Dim(-1)) }
	pos := graph.Iota(g, shapeOf(dtypes.Int32, rows, n), 1)
	var outs, lses []*graph.Node
	for r := range l.Rounds {
		bucket := graph.Reshape(graph.Slice(buckets, graph.AxisElem(r)), rows, n)
		sortKey := graph.ConvertDType(graph.Add(graph.MulScalar(bucket, float64(n)), pos), dtypes.Float32) // exact below 2²⁴
		_, order := graph.TopK(graph.Neg(sortKey), n, -1)                                                  // [rows, n]: positions by bucket, then position
		order = graph.ConvertDType(order, dtypes.Int32)
		idx := graph.InsertAxes(graph.Add(order, graph.MulScalar(graph.Iota(g, shapeOf(dtypes.Int32, rows, n), 0), float64(n))), -1)
		gather := func(x *graph.Node) *graph.Node { return graph.Gather(flat(x), idx) } // [rows, n, d]
		sq, sk, sv := gather(q), gather(keys), gather(v)
		sb := graph.Gather(graph.Reshape(bucket, rows*n, 1), idx) // [rows, n, 1]
		sp := graph.Gather(graph.Reshape(pos, rows*n, 1), idx)
		chunks := func(x *graph.Node) *graph.Node { return graph.Reshape(x, rows, nc, c, x.Shape().Dim(-1)) }
		cq, cb, cp := chunks(sq), chunks(sb), chunks(sp)
		look := func(x *graph.Node) *graph.Node { return withPrevious(x, 1) } // [rows, nc, c, e] -> [rows, nc, 2c, e]; the first chunk's placeholder is masked below
		ck, cv, kb, kp := look(chunks(sk)), look(chunks(sv)), look(cb), look(cp)
		s := graph.Einsum("rnqd,rnkd->rnqk", cq, ck) // [rows, nc, c, 2c]
		first := graph.Iota(g, shapeOf(dtypes.Int32, nc, 1, 2*c), 0)
		real := graph.LogicalOr(graph.GreaterThan(first, graph.ScalarZero(g, dtypes.Int32)),
			graph.GreaterOrEqual(graph.Iota(g, shapeOf(dtypes.Int32, nc, 1, 2*c), 2), graph.Const(g, int32(c)))) // not the placeholder
		same := graph.Equal(cb, graph.Transpose(kb, 2, 3))      // [rows, nc, c, 2c]: same bucket
		self := graph.Equal(cp, graph.Transpose(kp, 2, 3))      // the token itself
		s = graph.Where(self, graph.Const(g, float32(-1e5)), s) // itself only as a last resort
		s = masked(s, graph.LogicalAnd(same, graph.BroadcastToDims(graph.InsertAxes(real, 0), rows, nc, c, 2*c)))
		top := graph.StopGradient(graph.ReduceAndKeep(s, graph.ReduceMax, -1))
		lse := graph.Add(top, graph.Log(graph.ReduceAndKeep(graph.Exp(graph.Sub(s, top)), graph.ReduceSum, -1))) // [rows, nc, c, 1]
		o := graph.MatMul(graph.Exp(graph.Sub(s, lse)), cv)                                                      // [rows, nc, c, dv]
		// Back to the original order.
		_, undo := graph.TopK(graph.Neg(graph.ConvertDType(order, dtypes.Float32)), n, -1)
		undoIdx := graph.InsertAxes(graph.Add(graph.ConvertDType(undo, dtypes.Int32), graph.MulScalar(graph.Iota(g, shapeOf(dtypes.Int32, rows, n), 0), float64(n))), -1)
		outs = append(outs, graph.Gather(graph.Reshape(o, rows*n, dv), undoIdx))  // [rows, n, dv]
		lses = append(lses, graph.Gather(graph.Reshape(lse, rows*n, 1), undoIdx)) // [rows, n, 1]
	}
	w := graph.Softmax(graph.Stack(lses, 0), 0) // [rounds, rows, n, 1]
	out := graph.ReduceSum(graph.Mul(w, graph.Stack(outs, 0)), 0)
	return graph.Reshape(out, b, h, n, dv)
}

// SharedQK is the full attention that LSH approximates: keys are the
// queries scaled to unit length, and a token attends to itself only as a
// last resort.
func SharedQK(qk, v *graph.Node) *graph.Node {
	g := qk.Graph()
	n, d := qk.Shape().Dim(2), qk.Shape().Dim(3)
	keys := graph.Div(qk, graph.Sqrt(graph.ReduceAndKeep(graph.Square(qk), graph.ReduceSum, -1)))
	s := graph.Einsum("bhqd,bhkd->bhqk", graph.MulScalar(qk, 1/math.Sqrt(float64(d))), keys)
	diag := graph.BroadcastToDims(graph.InsertAxes(graph.Equal(graph.Iota(g, shapeOf(dtypes.Int32, n, n), 0), graph.Iota(g, shapeOf(dtypes.Int32, n, n), 1)), 0, 0), s.Shape().Dimensions...)
	s = graph.Where(diag, graph.Const(g, float32(-1e5)), s)
	return graph.MatMul(graph.Softmax(s, -1), v)
}
