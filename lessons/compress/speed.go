package compress

import (
	"fmt"
	"math/rand/v2"

	"github.com/baeum-go/baeum/mlx"
	"github.com/baeum-go/baeum/mlx/show"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/nn"
)

// MatmulTime is the measured time of one y = x·W in a storage scheme.
type MatmulTime struct {
	Scheme  Scheme
	Bytes   int     // W's storage
	Seconds float64 // median of the timed runs
	Fused   bool    // the backend has a fused dequantize-and-multiply kernel (else GoMLX decomposes it)
}

// MatmulSpeed times y = x·W for x [tokens, in] and a random W [in, out]
// (in a multiple of 32) stored as float32, Q8_0 and Q4_0, the GGML ones
// through GoMLX's nn.QuantizedDense: a fused kernel on backends that have
// one (the pure-Go backend), else GoMLX's decomposition (dequantize the
// whole matrix, then an ordinary float32 product).
func MatmulSpeed(backend compute.Backend, in, out, tokens, runs int) ([]MatmulTime, error) {
	products, err := matmuls(backend, in, out, tokens)
	if err != nil {
		return nil, err
	}
	fused := backend.Capabilities().Operations[compute.OpTypeFusedQuantizedDense]
	var times []MatmulTime
	for _, p := range products {
		sec, err := mlx.MedianSeconds(p.run, runs)
		if err != nil {
			return nil, fmt.Errorf("compress.MatmulSpeed %s: %w", p.scheme, err)
		}
		times = append(times, MatmulTime{Scheme: p.scheme, Bytes: int(p.w.Shape().Memory()), Seconds: sec, Fused: fused && p.scheme != Float32})
	}
	return times, nil
}

// matmul is one compiled y = x·W with W in a scheme.
type matmul struct {
	scheme Scheme
	exec   *graph.Exec
	x, w   *tensors.Tensor
}

// run computes the product and waits for it.
func (m matmul) run() error {
	r, err := m.exec.Exec(m.x, m.w)
	if err == nil {
		r[0].Value()
	}
	return err
}

// matmuls builds MatmulSpeed's products: float32, Q8_0, Q4_0.
func matmuls(backend compute.Backend, in, out, tokens int) ([]matmul, error) {
	if in%BlockSize != 0 || in <= 0 || out <= 0 || tokens <= 0 {
		return nil, fmt.Errorf("compress.MatmulSpeed: in must be a positive multiple of %d and out, tokens positive; got %d, %d, %d", BlockSize, in, out, tokens)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	w := make([]float32, in*out) // [out, in]: GGML's layout, one output's inputs per row
	for i := range w {
		w[i] = float32(rng.NormFloat64() * 0.02)
	}
	x := make([]float32, tokens*in)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	xt := tensors.FromFlatDataAndDimensions(x, tokens, in)
	var products []matmul
	for _, scheme := range []Scheme{Float32, Q8_0, Q4_0} {
		var wt *tensors.Tensor
		var fn func(x, w *graph.Node) *graph.Node
		switch scheme {
		case Float32:
			wt = tensors.FromFlatDataAndDimensions(w, out, in)
			fn = func(x, w *graph.Node) *graph.Node { return graph.Dot(x, w).EinsumAxes([][2]int{{1, 1}}, nil) }
		default:
			pack, typ := PackQ4_0, compute.GGMLQ4_0
			if scheme == Q8_0 {
				pack, typ = PackQ8_0, compute.GGMLQ8_0
			}
			var blocks []byte
			for o := range out {
				b, err := pack(w[o*in : (o+1)*in])
				if err != nil {
					return nil, err
				}
				blocks = append(blocks, b...)
			}
			wt = tensors.FromFlatDataAndDimensions(blocks, out, len(blocks)/out)
			fn = func(x, w *graph.Node) *graph.Node {
				return nn.QuantizedDense(x, w, &graph.Quantization{Scheme: compute.QuantGGML, GGMLType: typ}, nil)
			}
		}
		exec, err := graph.NewExec(backend, fn)
		if err != nil {
			return nil, err
		}
		products = append(products, matmul{scheme, exec, xt, wt})
	}
	return products, nil
}

// ShowMatmulSpeed measures MatmulSpeed on the notebook's backend and on the
// pure-Go one (which has a fused kernel for the GGML formats), shows a
// table, and returns the times of each backend by configuration.
func ShowMatmulSpeed(in, out int, tokens []int, runs int) (map[string][]MatmulTime, error) {
	info, err := mlx.BackendInfo()
	if err != nil {
		return nil, err
	}
	goBackend, goInfo, err := mlx.OpenBackend(mlx.GoBackendConfig)
	if err != nil {
		return nil, err
	}
	backends := []compute.Backend{mlx.MustBackend()}
	configs := []string{info.Config}
	if info.Config != goInfo.Config {
		backends, configs = append(backends, goBackend), append(configs, goInfo.Config)
	}
	all := map[string][]MatmulTime{}
	var rows [][]string
	for i, b := range backends {
		for _, n := range tokens {
			times, err := MatmulSpeed(b, in, out, n, runs)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", configs[i], err)
			}
			all[configs[i]] = append(all[configs[i]], times...)
			for _, t := range times {
				kernel := "float32 matmul"
				if t.Scheme != Float32 {
					kernel = "decomposed: dequantize, then matmul"
					if t.Fused {
						kernel = "fused kernel"
					}
				}
				rows = append(rows, []string{configs[i], fmt.Sprint(n), string(t.Scheme), fmt.Sprintf("%.1f MiB", float64(t.Bytes)/(1<<20)),
					fmt.Sprintf("%.2f ms", 1000*t.Seconds), kernel})
			}
		}
	}
	show.Table([]string{"backend", "tokens", "weights", "size", "time", "how"}, rows)
	return all, nil
}
