package efficient

import (
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/support/exceptions"
)

// Visible says whether query i may attend to key j under causal
// sliding-window attention with global tokens: j is in the past (j ≤ i)
// and either among the window most recent positions (j > i − window) or
// one of the first global positions (j < global), which every later token
// sees (Longformer's global tokens; "attention sinks" in StreamingLLM).
func Visible(i, j, window, global int) bool {
	return j <= i && (j > i-window || j < global)
}

// WindowMask is Visible for every query and key of an n-token sequence (to
// draw it, and to check SlidingWindow against masked full attention).
func WindowMask(n, window, global int) [][]bool {
	m := make([][]bool, n)
	for i := range m {
		m[i] = make([]bool, n)
		for j := range m[i] {
			m[i][j] = Visible(i, j, window, global)
		}
	}
	return m
}

// SlidingWindow is causal attention in which query i sees only the keys
// that Visible allows, computed without the n×n matrix: the sequence is cut
// into blocks of window tokens, and each block of queries is scored against
// its own block of keys and the one before (2·window keys, the window of
// every query in it is inside), plus the global keys. Time and memory grow
// as n·(2·window + global), linearly in n. q, k, v are [batch, heads, n, d];
// n must be a multiple of window, and global at most window.
func SlidingWindow(q, k, v *graph.Node, window, global int) *graph.Node {
	g := q.Graph()
	b, h, n, d := q.Shape().Dim(0), q.Shape().Dim(1), q.Shape().Dim(2), q.Shape().Dim(3)
	dv := v.Shape().Dim(3)
	if window <= 0 || n%window != 0 || global < 0 || global > window {
		exceptions.Panicf("efficient.SlidingWindow: %d tokens, window %d, global %d: need n a multiple of the window and 0 ≤ global ≤ window", n, window, global)
	}
	nb := n / window
	blocks := func(x *graph.Node) *graph.Node { // [b, h, n, d] -> [b, h, blocks, window, d]
		return graph.Reshape(x, b, h, nb, window, x.Shape().Dim(3))
	}
	qb := blocks(graph.MulScalar(q, 1/math.Sqrt(float64(d))))
	kb, vb := withPrevious(blocks(k), 2), withPrevious(blocks(v), 2) // [b, h, nb, 2w, d]: the block before, then the block
	scores := graph.Einsum("bhnqd,bhnkd->bhnqk", qb, kb)             // [b, h, nb, w, 2w]

	// Positions: query (block n, row r) is n·w + r; key (block n, column c) is (n−1)·w + c.
	qPos := graph.Add(graph.MulScalar(graph.Iota(g, shapeOf(dtypes.Int32, nb, window, 1), 0), float64(window)),
		graph.Iota(g, shapeOf(dtypes.Int32, nb, window, 1), 1)) // [nb, w, 1]
	kPos := graph.Add(graph.MulScalar(graph.Iota(g, shapeOf(dtypes.Int32, nb, 1, 2*window), 0), float64(window)),
		graph.AddScalar(graph.Iota(g, shapeOf(dtypes.Int32, nb, 1, 2*window), 2), -float64(window))) // [nb, 1, 2w]
	local := graph.LogicalAnd(graph.LogicalAnd(graph.GreaterOrEqual(qPos, kPos), graph.GreaterThan(kPos, graph.AddScalar(qPos, -float64(window)))),
		graph.GreaterOrEqual(kPos, graph.ScalarZero(g, dtypes.Int32))) // [nb, w, 2w]
	parts, masks, values := []*graph.Node{scores}, []*graph.Node{local}, []*graph.Node{vb}
	if global > 0 {
		kg := graph.Slice(k, graph.AxisRange(), graph.AxisRange(), graph.AxisRange(0, global)) // [b, h, global, d]
		vg := graph.Slice(v, graph.AxisRange(), graph.AxisRange(), graph.AxisRange(0, global))
		parts = append(parts, graph.Einsum("bhnqd,bhkd->bhnqk", qb, kg)) // [b, h, nb, w, global]
		gPos := graph.Iota(g, shapeOf(dtypes.Int32, 1, 1, global), 2)
		// Global keys already inside the window are scored there; count them once.
		masks = append(masks, graph.LogicalAnd(graph.GreaterOrEqual(qPos, gPos), graph.LessOrEqual(gPos, graph.AddScalar(qPos, -float64(window)))))
		values = append(values, graph.BroadcastToDims(graph.InsertAxes(vg, 2), b, h, nb, global, dv))
	}
	all := graph.Concatenate(parts, -1)                                              // [b, h, nb, w, 2w+global]
	weights := graph.Softmax(masked(all, graph.Concatenate(masks, -1)), -1)          // masks: [nb, w, 2w+global]
	out := graph.Einsum("bhnqk,bhnkd->bhnqd", weights, graph.Concatenate(values, 3)) // [b, h, nb, w, dv]
	return graph.Reshape(out, b, h, n, dv)
}
