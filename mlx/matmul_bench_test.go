package mlx

import (
	"fmt"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// BenchmarkMatMul times XLA's matrix product alone, at the shapes of
// lesson 07's GPT (NanoGPTConfig: 12 × 64 = 768 tokens, 128 wide, MLP 512):
// the projections [768,128]·[128,128], the MLP's [768,128]·[128,512] and
// [768,512]·[512,128], and the weight gradients' [128,768]·[768,n]. Each
// execution computes 20 products (the inputs shifted so that none is
// shared), to keep the per-call overhead out of the GFLOP/s. The PyTorch
// counterpart is bench/pytorch_matmul.py, the same graph in JAX
// bench/jax_matmul.py; lessons/pretrain/doc.go says what the numbers mean
// for the GPT's step.
func BenchmarkMatMul(b *testing.B) {
	backend, err := Backend()
	if err != nil {
		b.Skip(err)
	}
	const products = 20
	for _, s := range [][3]int{{768, 128, 128}, {768, 128, 512}, {768, 512, 128}, {128, 768, 128}, {128, 768, 512}} {
		m, k, n := s[0], s[1], s[2]
		exec, err := graph.NewExec(backend, func(a, w *graph.Node) *graph.Node {
			sum := graph.ScalarZero(a.Graph(), a.DType())
			for i := range products {
				p := graph.MatMul(graph.AddScalar(a, float64(i)), w)
				sum = graph.Add(sum, graph.ReduceAllSum(p))
			}
			return sum
		})
		if err != nil {
			b.Fatal(err)
		}
		a, w := benchMatrix(m, k), benchMatrix(k, n)
		b.Run(fmt.Sprintf("%dx%dx%d", m, k, n), func(b *testing.B) {
			BenchSteps(b, func() error {
				out, err := exec.Exec(a, w)
				if err == nil {
					_ = out[0].Value()
				}
				return err
			}, "products", products)
			b.ReportMetric(float64(b.N*products*2*m*k*n)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

func benchMatrix(rows, cols int) *tensors.Tensor {
	x := make([]float32, rows*cols)
	for i := range x {
		x[i] = float32(i%13) * 0.01
	}
	return tensors.FromFlatDataAndDimensions(x, rows, cols)
}
