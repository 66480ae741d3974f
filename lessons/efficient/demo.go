package efficient

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// Clustered is n vectors of d features, each a noisy copy of one of k
// random centres (as the queries of a text repeat for repeated words):
// [1, 1, n, d], and the centre of each vector. The centres' features have
// standard deviation spread (large: attention is sharp, each token
// attending mostly to its own cluster), the noise's noise.
func Clustered(n, d, k int, spread, noise float64, seed uint64) (*tensors.Tensor, []int) {
	r := rand.New(rand.NewPCG(seed, 3))
	centres := make([][]float64, k)
	for c := range centres {
		centres[c] = make([]float64, d)
		for i := range centres[c] {
			centres[c][i] = spread * r.NormFloat64()
		}
	}
	x := make([]float32, n*d)
	cluster := make([]int, n)
	for t := range n {
		cluster[t] = r.IntN(k)
		for i := range d {
			x[t*d+i] = float32(centres[cluster[t]][i] + noise*r.NormFloat64())
		}
	}
	return tensors.FromFlatDataAndDimensions(x, 1, 1, n, d), cluster
}

// LSHErrors runs LSH attention on x with each number of rounds (values:
// x itself) and returns its relative error against SharedQK,
// ‖LSH − full‖ / ‖full‖.
func LSHErrors(backend compute.Backend, x *tensors.Tensor, l LSH, rounds []int) ([]float64, error) {
	var errs []float64
	for _, r := range rounds {
		l.Rounds = r
		exec, err := graph.NewExec(backend, func(x *graph.Node) *graph.Node {
			full := SharedQK(x, x)
			diff := graph.Sub(l.Attend(x, x), full)
			return graph.Sqrt(graph.Div(graph.ReduceAllSum(graph.Square(diff)), graph.ReduceAllSum(graph.Square(full))))
		})
		if err != nil {
			return nil, err
		}
		out, err := exec.Exec(x)
		if err != nil {
			return nil, fmt.Errorf("efficient.LSHErrors, %d rounds: %w", r, err)
		}
		errs = append(errs, float64(out[0].Value().(float32)))
	}
	return errs, nil
}

// Buckets is the bucket of every token of x [1, 1, n, d] in l's first round.
func Buckets(backend compute.Backend, x *tensors.Tensor, l LSH) ([]int, error) {
	exec, err := graph.NewExec(backend, func(x *graph.Node) *graph.Node { return l.Hash(x) })
	if err != nil {
		return nil, err
	}
	out, err := exec.Exec(x)
	if err != nil {
		return nil, fmt.Errorf("efficient.Buckets: %w", err)
	}
	flat := tensors.MustCopyFlatData[int32](out[0])
	n := x.Shape().Dim(2)
	b := make([]int, n)
	for i := range b {
		b[i] = int(flat[i]) // round 0
	}
	return b, nil
}

// AxialField is how much each token of a rows × cols grid influences the
// output at token p, |∂o_p/∂x| summed over the features, after the row pass
// alone and after both passes of Axial (q = k = v = x, random): the
// receptive field, as two rows × cols grids.
func AxialField(backend compute.Backend, rows, cols, d, p int) (afterRows, afterBoth [][]float64, err error) {
	n := rows * cols
	exec, err := graph.NewExec(backend, func(x *graph.Node) []*graph.Node {
		field := func(o *graph.Node) *graph.Node {
			at := graph.Slice(o, graph.AxisRange(), graph.AxisRange(), graph.AxisElem(p))
			grad := graph.Gradient(graph.ReduceAllSum(at), x)[0] // [1, 1, n, d]
			return graph.Reshape(graph.ReduceSum(graph.Abs(grad), -1), rows, cols)
		}
		return []*graph.Node{field(AxialRows(x, x, x, rows)), field(Axial(x, x, x, rows))}
	})
	if err != nil {
		return nil, nil, err
	}
	out, err := exec.Exec(Random(1, 1, n, d, 5))
	if err != nil {
		return nil, nil, fmt.Errorf("efficient.AxialField: %w", err)
	}
	grid := func(t *tensors.Tensor) [][]float64 {
		flat := tensors.MustCopyFlatData[float32](t)
		g := make([][]float64, rows)
		for r := range g {
			for c := range cols {
				g[r] = append(g[r], math.Abs(float64(flat[r*cols+c])))
			}
		}
		return g
	}
	return grid(out[0]), grid(out[1]), nil
}
