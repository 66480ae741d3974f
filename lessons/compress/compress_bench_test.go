package compress

import (
	"fmt"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
)

// BenchmarkQuantizedMatmul times the notebook's product, one token times a
// 2,048 × 2,048 matrix, in float32, Q8_0 and Q4_0 (nn.QuantizedDense), on
// the lessons' backend and on the pure-Go one (fused GGML kernels).
func BenchmarkQuantizedMatmul(b *testing.B) {
	main, err := mlx.Backend()
	if err != nil {
		b.Skip(err)
	}
	goBackend, _, err := mlx.OpenBackend(mlx.GoBackendConfig)
	if err != nil {
		b.Skip(err)
	}
	for _, backend := range []compute.Backend{main, goBackend} {
		products, err := matmuls(backend, 2048, 2048, 1)
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range products {
			b.Run(fmt.Sprintf("%s/%s", backend.Name(), strings.Fields(string(p.scheme))[0]), func(b *testing.B) {
				mlx.BenchSteps(b, p.run, "weights", 2048*2048)
			})
		}
	}
}
