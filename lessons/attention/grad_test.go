package attention

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// TestGradientByFiniteDifferences checks the gradients that GoMLX's autodiff
// derives through our steps (scores, scale, mask, hand-written softmax,
// weighted sum) against central finite differences, in float64, on a tiny
// causal attention: f(Q, K, V) = Σ O ⊙ R for a fixed random R.
func TestGradientByFiniteDifferences(t *testing.T) {
	backend := mlx.MustBackend()
	const n, d = 3, 2
	rng := rand.New(rand.NewPCG(3, 4))
	random := func() []float64 {
		x := make([]float64, n*d)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		return x
	}
	q, k, v, r := random(), random(), random(), random()
	f := func(q, k, v, r *graph.Node) *graph.Node {
		out, _ := ScaledDotProductAttention(q, k, v, CausalMask(q.Graph(), n))
		return graph.ReduceAllSum(graph.Mul(out, r))
	}
	value := graph.MustNewExec(backend, f)
	grads := graph.MustNewExec(backend, func(q, k, v, r *graph.Node) []*graph.Node {
		return graph.Gradient(f(q, k, v, r), q, k, v)
	})
	tensor := func(x []float64) *tensors.Tensor { return tensors.FromFlatDataAndDimensions(x, n, d) }
	eval := func(x [3][]float64) float64 {
		return value.MustExec(tensor(x[0]), tensor(x[1]), tensor(x[2]), tensor(r))[0].Value().(float64)
	}
	got := grads.MustExec(tensor(q), tensor(k), tensor(v), tensor(r))
	const h = 1e-6
	for which, name := range []string{"Q", "K", "V"} {
		analytic := tensors.MustCopyFlatData[float64](got[which])
		for i := range n * d {
			x := [3][]float64{append([]float64(nil), q...), append([]float64(nil), k...), append([]float64(nil), v...)}
			x[which][i] += h
			plus := eval(x)
			x[which][i] -= 2 * h
			numeric := (plus - eval(x)) / (2 * h)
			if math.Abs(numeric-analytic[i]) > 1e-6 {
				t.Errorf("d f / d %s[%d]: autodiff %.8f, finite differences %.8f", name, i, analytic[i], numeric)
			}
		}
	}
	// Guard against a vacuous pass: K[0] moves the weights of queries 1 and 2.
	if g := tensors.MustCopyFlatData[float64](got[1]); g[0] == 0 && g[1] == 0 {
		t.Error("zero gradient for K[0]: the test would not notice a broken backward pass")
	}
}
