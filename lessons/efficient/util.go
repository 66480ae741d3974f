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
