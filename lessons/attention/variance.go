package attention

import (
	"fmt"
	"math/rand/v2"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// ScaleStats is what Variance measures for one key size d_k.
type ScaleStats struct {
	DK                            int
	RawVariance, ScaledVariance   float64 // variance of Q·K and of Q·K/√d_k
	RawMaxWeight, ScaledMaxWeight float64 // average largest softmax weight of a row
}

// Variance shows numerically why attention divides by √d_k. It draws queries
// and keys with independent standard-normal entries (samples queries, 16
// keys each): then Q·K = Σ_d q_d k_d is a sum of d_k terms of variance 1, so
// its variance is d_k, and the softmax of such large scores puts almost all
// the weight on one key (RawMaxWeight near 1: a saturated softmax has
// vanishing gradients). Divided by √d_k the variance is 1 for every d_k, and
// the weights stay spread out.
func Variance(backend compute.Backend, dk, samples int, seed uint64) (ScaleStats, error) {
	const keys = 16
	rng := rand.New(rand.NewPCG(seed, uint64(dk)))
	normal := func(n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		return x
	}
	q := tensors.FromFlatDataAndDimensions(normal(samples*dk), samples, 1, dk)
	k := tensors.FromFlatDataAndDimensions(normal(samples*keys*dk), samples, keys, dk)
	exec, err := graph.NewExec(backend, func(q, k *graph.Node) []*graph.Node {
		raw := Scores(q, k) // [samples, 1, keys]
		scaled := Scale(raw, dk)
		maxWeight := func(s *graph.Node) *graph.Node { return graph.ReduceAllMean(graph.ReduceMax(Softmax(s), -1)) }
		return []*graph.Node{variance(raw), variance(scaled), maxWeight(raw), maxWeight(scaled)}
	})
	if err != nil {
		return ScaleStats{}, err
	}
	out, err := exec.Exec(q, k)
	if err != nil {
		return ScaleStats{}, fmt.Errorf("attention.Variance: %w", err)
	}
	v := make([]float64, len(out))
	for i, t := range out {
		v[i] = float64(t.Value().(float32))
	}
	return ScaleStats{DK: dk, RawVariance: v[0], ScaledVariance: v[1], RawMaxWeight: v[2], ScaledMaxWeight: v[3]}, nil
}

func variance(x *graph.Node) *graph.Node {
	mean := graph.ReduceAllMean(x)
	return graph.ReduceAllMean(graph.Square(graph.Sub(x, mean)))
}
