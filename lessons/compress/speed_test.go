package compress

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/nn"
)

// TestQuantizedDense: GoMLX's nn.QuantizedDense on blocks packed by this
// package computes x·Wᵀ with W as Unpack reads it, on the lesson's backend
// and on the pure-Go one (whose fused kernel reads the blocks itself), so
// MatmulSpeed times the right product.
func TestQuantizedDense(t *testing.T) {
	const in, out, tokens = 64, 5, 3
	rng := rand.New(rand.NewPCG(3, 4))
	w := make([]float32, out*in)
	for i := range w {
		w[i] = float32(rng.NormFloat64())
	}
	x := make([]float32, tokens*in)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	goBackend, _, err := mlx.OpenBackend(mlx.GoBackendConfig)
	if err != nil {
		t.Fatal(err)
	}
	for _, backend := range []compute.Backend{mlx.MustBackend(), goBackend} {
		for _, q8 := range []bool{true, false} {
			pack, typ := PackQ4_0, compute.GGMLQ4_0
			if q8 {
				pack, typ = PackQ8_0, compute.GGMLQ8_0
			}
			var blocks []byte
			var back []float32
			for o := range out {
				b, err := pack(w[o*in : (o+1)*in])
				if err != nil {
					t.Fatal(err)
				}
				blocks = append(blocks, b...)
				back = append(back, Unpack(b, q8)...)
			}
			exec, err := graph.NewExec(backend, func(x, w *graph.Node) *graph.Node {
				return nn.QuantizedDense(x, w, &graph.Quantization{Scheme: compute.QuantGGML, GGMLType: typ}, nil)
			})
			if err != nil {
				t.Fatal(err)
			}
			res, err := exec.Exec(tensors.FromFlatDataAndDimensions(x, tokens, in), tensors.FromFlatDataAndDimensions(blocks, out, len(blocks)/out))
			if err != nil {
				t.Fatal(err)
			}
			got := tensors.MustCopyFlatData[float32](res[0])
			for i := range tokens {
				for o := range out {
					want := 0.0
					for k := range in {
						want += float64(x[i*in+k]) * float64(back[o*in+k])
					}
					if d := math.Abs(float64(got[i*out+o]) - want); d > 1e-3*(1+math.Abs(want)) {
						t.Fatalf("%s, q8 %v: y[%d][%d] = %g, want %g", backend.Name(), q8, i, o, got[i*out+o], want)
					}
				}
			}
		}
	}
	if _, err := MatmulSpeed(goBackend, 33, 4, 1, 1); err == nil {
		t.Error("33 inputs (not a multiple of 32) accepted")
	}
}

// TestInt8RoundTrip: the by-hand version equals QuantizeInt8 per tensor.
func TestInt8RoundTripByHand(t *testing.T) {
	w := randomWeights(200, 9)
	q, err := QuantizeInt8(w, 1, len(w), false)
	if err != nil {
		t.Fatal(err)
	}
	w64 := make([]float64, len(w))
	for i, x := range w {
		w64[i] = float64(x)
	}
	for i, x := range Int8RoundTrip(w64) {
		if d := math.Abs(x - float64(q.Dequantize()[i])); d > 1e-6 {
			t.Fatalf("weight %d: by hand %g, QuantizeInt8 %g", i, x, q.Dequantize()[i])
		}
	}
	if got := PruneVector([]float64{3, -1, 0.5, -4, 2}, 0.4); got[1] != 0 || got[2] != 0 || got[0] != 3 || got[3] != -4 {
		t.Errorf("PruneVector: %v", got)
	}
	if _, c := Histogram([]float32{-1, 0, 0.1, 0.9, 5}, -1, 1, 2); c[0] != 1 || c[1] != 3 {
		t.Errorf("Histogram counts %v, want [1 3] (5 is outside)", c)
	}
}
