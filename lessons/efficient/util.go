package efficient

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
)

func shapeOf(dtype dtypes.DType, dims ...int) shapes.Shape { return shapes.Make(dtype, dims...) }

// masked keeps scores where mask (whose axes are the last ones of scores',
// or 1) is true and puts −∞ elsewhere.
func masked(scores, mask *graph.Node) *graph.Node {
	for mask.Rank() < scores.Rank() {
		mask = graph.InsertAxes(mask, 0)
	}
	mask = graph.BroadcastToDims(mask, scores.Shape().Dimensions...)
	return graph.Where(mask, scores, graph.Infinity(scores.Graph(), scores.DType(), -1))
}

// withPrevious puts each block of x beside the block before it: the blocks
// run along axis, each block's tokens along axis+1, which doubles (the
// previous block's tokens, then the block's own). The first block gets a
// block of zeros before it, which the callers mask.
func withPrevious(x *graph.Node, axis int) *graph.Node {
	n := x.Shape().Dim(axis)
	blocks := func(from, to int) *graph.Node {
		spec := make([]graph.SliceAxisSpec, axis+1)
		for i := range axis {
			spec[i] = graph.AxisRange()
		}
		spec[axis] = graph.AxisRange(from, to)
		return graph.Slice(x, spec...)
	}
	prev := graph.Concatenate([]*graph.Node{graph.ZerosLike(blocks(0, 1)), blocks(0, n-1)}, axis)
	return graph.Concatenate([]*graph.Node{prev, x}, axis+1)
}
