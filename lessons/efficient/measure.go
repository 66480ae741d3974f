package efficient

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/baeum-go/baeum/lessons/attention"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// Method is one way to compute attention over q, k, v [batch, heads, n, d].
type Method struct {
	Name   string
	Attend attention.Attend
	Exact  bool // computes the same numbers as full (causal) attention
}

// Methods are the lesson's attentions, all causal except axial and LSH
// (which the papers use bidirectionally): full, sliding window of window
// tokens with global tokens, blockwise with blocks of block keys, axial on
// a grid of √n rows, and LSH with 4 rounds of 16 buckets and chunks of 64.
func Methods(window, global, block int) []Method {
	return []Method{
		{"full", func(q, k, v *graph.Node) *graph.Node { return Full(q, k, v, true) }, true},
		{fmt.Sprintf("sliding window %d + %d global", window, global), WindowAttend(window, global), false},
		{fmt.Sprintf("blockwise, blocks of %d", block), func(q, k, v *graph.Node) *graph.Node { return Blockwise(q, k, v, block, true) }, true},
		{"axial, √n rows", func(q, k, v *graph.Node) *graph.Node { return Axial(q, k, v, GridRows(q.Shape().Dim(2))) }, false},
		{"LSH, 4 rounds", func(q, _, v *graph.Node) *graph.Node {
			return LSH{Buckets: 16, Rounds: 4, Chunk: 64, Seed: 1}.Attend(q, v)
		}, false},
	}
}

// WindowAttend is SlidingWindow as an attention.Attend, for
// transformer.DecoderOnlyWith.
func WindowAttend(window, global int) attention.Attend {
	return func(q, k, v *graph.Node) *graph.Node { return SlidingWindow(q, k, v, window, global) }
}

// GridRows is the number of rows Axial folds n tokens into: the power of
// two nearest √n (the larger on a tie) that divides n.
func GridRows(n int) int {
	r := 1
	for r*r*2 <= n && n%(r*2) == 0 {
		r *= 2
	}
	return r
}

// Cost is one method at one length: time of one forward pass (the median
// of the timed runs) and XLA's temporary memory (−1 where the backend does
// not report it).
type Cost struct {
	Method  string
	N       int
	Seconds float64
	Memory  int64
}

// Measure compiles each method for one sequence of each length (one head,
// d features, random q, k, v), reads XLA's memory statistics, and times
// runs forward passes after a warm-up one.
func Measure(backend compute.Backend, methods []Method, lengths []int, d, runs int) ([]Cost, error) {
	var costs []Cost
	for _, m := range methods {
		for _, n := range lengths {
			exec, err := graph.NewExec(backend, func(q, k, v *graph.Node) *graph.Node {
				return graph.ReduceAllSum(m.Attend(q, k, v)) // one number back: the timing is the attention's
			})
			if err != nil {
				return nil, err
			}
			s := shapes.Make(dtypes.Float32, 1, 1, n, d)
			g, err := exec.Compile(s, s, s)
			if err != nil {
				return nil, fmt.Errorf("efficient.Measure %s, n=%d: %w", m.Name, n, err)
			}
			c := Cost{Method: m.Name, N: n, Memory: -1}
			if mem, err := mlx.CompiledMemory(g); err == nil {
				c.Memory = mem.Temporary
			}
			q, k, v := Random(1, 1, n, d, 1), Random(1, 1, n, d, 2), Random(1, 1, n, d, 3)
			sec, err := mlx.MedianSeconds(func() error {
				out, err := exec.Exec(q, k, v)
				if err == nil {
					out[0].Value() // wait for the result
				}
				return err
			}, runs)
			if err != nil {
				return nil, fmt.Errorf("efficient.Measure %s, n=%d: %w", m.Name, n, err)
			}
			c.Seconds = sec
			exec.Finalize()
			costs = append(costs, c)
		}
	}
	return costs, nil
}

// Slope is the least-squares slope of log(value) against log(n) over the
// costs of method at lengths ≥ from: about 2 for a cost that grows as n²,
// 1 for a linear one. memory selects XLA's memory instead of the time.
func Slope(costs []Cost, method string, from int, memory bool) float64 {
	var xs, ys []float64
	for _, c := range costs {
		v := c.Seconds
		if memory {
			v = float64(c.Memory)
		}
		if c.Method == method && c.N >= from && v > 0 {
			xs, ys = append(xs, math.Log(float64(c.N))), append(ys, math.Log(v))
		}
	}
	if len(xs) < 2 {
		return math.NaN()
	}
	var mx, my float64
	for i := range xs {
		mx, my = mx+xs[i], my+ys[i]
	}
	mx, my = mx/float64(len(xs)), my/float64(len(xs))
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	return sxy / sxx
}

// Random is a [b, h, n, d] tensor of N(0, 1) numbers drawn from seed.
func Random(b, h, n, d int, seed uint64) *tensors.Tensor {
	r := rand.New(rand.NewPCG(seed, 2))
	x := make([]float32, b*h*n*d)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	return tensors.FromFlatDataAndDimensions(x, b, h, n, d)
}

// MaxDiff runs two attentions on the same random q, k, v [1, 2, n, d] and
// returns the largest absolute difference of their outputs.
func MaxDiff(backend compute.Backend, a, b attention.Attend, n, d int) (float64, error) {
	exec, err := graph.NewExec(backend, func(q, k, v *graph.Node) *graph.Node {
		return graph.ReduceAllMax(graph.Abs(graph.Sub(a(q, k, v), b(q, k, v))))
	})
	if err != nil {
		return 0, err
	}
	out, err := exec.Exec(Random(1, 2, n, d, 1), Random(1, 2, n, d, 2), Random(1, 2, n, d, 3))
	if err != nil {
		return 0, fmt.Errorf("efficient.MaxDiff: %w", err)
	}
	return float64(out[0].Value().(float32)), nil
}

// MiB is the memory in MiB as text, "n/a" where the backend does not
// report it.
func (c Cost) MiB() string {
	if c.Memory < 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f", float64(c.Memory)/(1<<20))
}

// Summary describes method's costs in one line: time and memory at the
// longest length, and how they grow (Slope from 1,024 tokens on).
func Summary(costs []Cost, method string) string {
	var last Cost
	for _, c := range costs {
		if c.Method == method && c.N >= last.N {
			last = c
		}
	}
	s := fmt.Sprintf("%s at %d tokens: %.0f ms, %s MiB; time grows as n^%.2f", method, last.N, 1000*last.Seconds, last.MiB(), Slope(costs, method, 1024, false))
	if last.Memory >= 0 {
		s += fmt.Sprintf(", memory as n^%.2f", Slope(costs, method, 1024, true))
	}
	return s
}
