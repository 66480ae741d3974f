package efficient

import (
	"testing"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/graph"
)

// BenchmarkAttention times one forward pass of each of the lesson's
// attentions on 4,096 tokens (one head, 64 features), as the notebook's
// comparison does.
func BenchmarkAttention(b *testing.B) {
	const n, d = 4096, 64
	backend, err := mlx.Backend()
	if err != nil {
		b.Skip(err)
	}
	q, k, v := Random(1, 1, n, d, 1), Random(1, 1, n, d, 2), Random(1, 1, n, d, 3)
	for _, m := range Methods(128, 2, 256) {
		b.Run(m.Name, func(b *testing.B) {
			exec, err := graph.NewExec(backend, func(q, k, v *graph.Node) *graph.Node { return graph.ReduceAllSum(m.Attend(q, k, v)) })
			if err != nil {
				b.Fatal(err)
			}
			mlx.BenchSteps(b, func() error {
				out, err := exec.Exec(q, k, v)
				if err == nil {
					out[0].Value()
				}
				return err
			}, "tokens", n)
		})
	}
}
