package efficient

import (
	"github.com/baeum-go/baeum/lessons/attention"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/support/exceptions"
)

// Axial is axial attention (Ho et al. 2019, "Axial Attention in
// Multidimensional Transformers") on a sequence folded into a grid of rows
// × n/rows columns: every token first attends to the tokens of its row,
// then (the row pass's outputs as queries, keys and values) to the tokens
// of its column. Each pass builds rows·cols² or cols·rows² scores instead
// of n², and after the two passes every token has heard from every other,
// through one token of its row. (In a model, each pass has its own learned
// projections; here the passes are bare, to measure the cost and the
// receptive field.) q, k, v are [batch, heads, n, d] with n a multiple of
// rows.
func Axial(q, k, v *graph.Node, rows int) *graph.Node {
	x := AxialRows(q, k, v, rows)
	return AxialColumns(x, x, x, rows)
}

// AxialRows is Axial's first pass: attention within each row.
func AxialRows(q, k, v *graph.Node, rows int) *graph.Node {
	b, h, n := q.Shape().Dim(0), q.Shape().Dim(1), q.Shape().Dim(2)
	if rows <= 0 || n%rows != 0 {
		exceptions.Panicf("efficient.Axial: %d tokens do not fold into %d rows", n, rows)
	}
	grid := func(x *graph.Node) *graph.Node { return graph.Reshape(x, b, h, rows, n/rows, x.Shape().Dim(3)) }
	out, _ := attention.ScaledDotProductAttention(grid(q), grid(k), grid(v), nil) // [b, h, rows, cols, dv]
	return graph.Reshape(out, b, h, n, v.Shape().Dim(3))
}

// AxialColumns is Axial's second pass: attention within each column.
func AxialColumns(q, k, v *graph.Node, rows int) *graph.Node {
	b, h, n := q.Shape().Dim(0), q.Shape().Dim(1), q.Shape().Dim(2)
	cols := n / rows
	grid := func(x *graph.Node) *graph.Node { // [b, h, n, d] -> [b, h, cols, rows, d]
		return graph.TransposeAllAxes(graph.Reshape(x, b, h, rows, cols, x.Shape().Dim(3)), 0, 1, 3, 2, 4)
	}
	out, _ := attention.ScaledDotProductAttention(grid(q), grid(k), grid(v), nil) // [b, h, cols, rows, dv]
	return graph.Reshape(graph.TransposeAllAxes(out, 0, 1, 3, 2, 4), b, h, n, v.Shape().Dim(3))
}
