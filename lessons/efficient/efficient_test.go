package efficient

import (
	"math"
	"testing"

	"github.com/baeum-go/baeum/lessons/attention"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
)

func maxDiff(t *testing.T, n, d int, a, b func(q, k, v *graph.Node) *graph.Node) float64 {
	t.Helper()
	diff, err := MaxDiff(mlx.MustBackend(), a, b, n, d)
	if err != nil {
		t.Fatal(err)
	}
	return diff
}

func TestBlockwiseEqualsFull(t *testing.T) {
	const n = 16
	for _, causal := range []bool{false, true} {
		for _, block := range []int{1, 2, 4, 8, 16} {
			diff := maxDiff(t, n, 8, func(q, k, v *graph.Node) *graph.Node { return Full(q, k, v, causal) },
				func(q, k, v *graph.Node) *graph.Node { return Blockwise(q, k, v, block, causal) })
			if diff > 1e-5 {
				t.Errorf("causal %v, block %d: max |diff| %g", causal, block, diff)
			}
		}
	}
}

func TestSlidingWindowEqualsMaskedFull(t *testing.T) {
	const n = 32
	for _, c := range []struct{ window, global int }{{32, 0}, {8, 0}, {8, 2}, {4, 4}, {1, 0}, {16, 3}} {
		mask := WindowMask(n, c.window, c.global)
		diff := maxDiff(t, n, 8, func(q, k, v *graph.Node) *graph.Node {
			out, _ := attention.ScaledDotProductAttention(q, k, v, boolConst(q.Graph(), mask))
			return out
		}, func(q, k, v *graph.Node) *graph.Node { return SlidingWindow(q, k, v, c.window, c.global) })
		if diff > 1e-5 {
			t.Errorf("window %d, global %d: max |diff| %g", c.window, c.global, diff)
		}
	}
	// A window as long as the sequence is full causal attention.
	diff := maxDiff(t, n, 8, func(q, k, v *graph.Node) *graph.Node { return Full(q, k, v, true) },
		func(q, k, v *graph.Node) *graph.Node { return SlidingWindow(q, k, v, n, 0) })
	if diff > 1e-5 {
		t.Errorf("window = n: max |diff| %g from full causal attention", diff)
	}
}

func TestWindowMask(t *testing.T) {
	m := WindowMask(6, 2, 1)
	want := []string{"x.....", "xx....", "xxx...", "x.xx..", "x..xx.", "x...xx"}
	for i, row := range m {
		got := ""
		for _, ok := range row {
			got += map[bool]string{true: "x", false: "."}[ok]
		}
		if got != want[i] {
			t.Errorf("row %d: %s, want %s", i, got, want[i])
		}
	}
}

func boolConst(g *graph.Graph, m [][]bool) *graph.Node { return graph.Const(g, m) }

func TestAxialRowsAreIndependent(t *testing.T) {
	// With one row, the row pass is full attention; with one column per row, the column pass is.
	diff := maxDiff(t, 16, 4, func(q, k, v *graph.Node) *graph.Node { return Full(q, k, v, false) },
		func(q, k, v *graph.Node) *graph.Node { return AxialRows(q, k, v, 1) })
	if diff > 1e-5 {
		t.Errorf("one row: max |diff| %g from full attention", diff)
	}
	diff = maxDiff(t, 16, 4, func(q, k, v *graph.Node) *graph.Node { return Full(q, k, v, false) },
		func(q, k, v *graph.Node) *graph.Node { return AxialColumns(q, k, v, 16) })
	if diff > 1e-5 {
		t.Errorf("one column: max |diff| %g from full attention", diff)
	}
}

func TestLSHOneBucketIsFull(t *testing.T) {
	// One bucket and one chunk covering the sequence: every token sees every other.
	for _, rounds := range []int{1, 2} {
		l := LSH{Buckets: 1, Rounds: rounds, Chunk: 16, Seed: 1}
		diff := maxDiff(t, 16, 4, func(q, _, v *graph.Node) *graph.Node { return SharedQK(q, v) },
			func(q, _, v *graph.Node) *graph.Node { return l.Attend(q, v) })
		if diff > 1e-5 {
			t.Errorf("%d round(s): max |diff| %g from full shared-QK attention", rounds, diff)
		}
	}
}

func TestLSHHashIgnoresScale(t *testing.T) {
	l := LSH{Buckets: 8, Rounds: 3, Chunk: 4, Seed: 7}
	exec, err := graph.NewExec(mlx.MustBackend(), func(x *graph.Node) *graph.Node {
		return graph.ReduceAllSum(graph.ConvertDType(graph.NotEqual(l.Hash(x), l.Hash(graph.MulScalar(x, 3.7))), dtypes.Int32))
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Exec(Random(1, 2, 32, 8, 4))
	if err != nil {
		t.Fatal(err)
	}
	if n := out[0].Value().(int32); n != 0 {
		t.Errorf("%d tokens changed bucket when scaled by 3.7", n)
	}
}

func TestOnlineAverage(t *testing.T) {
	scores, values := []float64{0.5, 3, -1, 2, 7, 7}, []float64{1, 2, 3, 4, 5, 6}
	var z, want float64
	for _, s := range scores {
		z += math.Exp(s)
	}
	for i, s := range scores {
		want += math.Exp(s) / z * values[i]
	}
	if got := OnlineAverage(scores, values); math.Abs(got-want) > 1e-12 {
		t.Errorf("OnlineAverage = %g, want %g", got, want)
	}
	if got := OnlineAverage([]float64{1000, 1000}, []float64{1, 3}); got != 2 {
		t.Errorf("large scores: %g, want 2 (no overflow)", got)
	}
}

func TestHashVector(t *testing.T) {
	r := [][]float64{{0, 1}, {1, 0}}
	for _, c := range []struct {
		x    []float64
		want int
	}{{[]float64{1, 0}, 1}, {[]float64{-1, 0}, 3}, {[]float64{0, 2}, 0}, {[]float64{0, -2}, 2}, {[]float64{5, 0}, 1}} {
		if got := HashVector(c.x, r); got != c.want {
			t.Errorf("HashVector(%v) = %d, want %d", c.x, got, c.want)
		}
	}
}

func TestGridRows(t *testing.T) {
	for n, want := range map[int]int{256: 16, 512: 32, 1024: 32, 8192: 128, 96: 8} {
		if got := GridRows(n); got != want || n%got != 0 {
			t.Errorf("GridRows(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestSlopeAndSummary(t *testing.T) {
	var costs []Cost
	for _, n := range []int{512, 1024, 2048, 4096} {
		costs = append(costs, Cost{Method: "sq", N: n, Seconds: 1e-9 * float64(n*n), Memory: int64(4 * n * n)},
			Cost{Method: "lin", N: n, Seconds: 1e-6 * float64(n), Memory: -1})
	}
	if s := Slope(costs, "sq", 1024, true); math.Abs(s-2) > 1e-9 {
		t.Errorf("memory slope of n² = %g", s)
	}
	if s := Slope(costs, "lin", 1024, false); math.Abs(s-1) > 1e-9 {
		t.Errorf("time slope of n = %g", s)
	}
	if s := Slope(costs, "lin", 1024, true); !math.IsNaN(s) {
		t.Errorf("memory slope without memory figures = %g, want NaN", s)
	}
	if got, want := Summary(costs, "lin"), "lin at 4096 tokens: 4 ms, n/a MiB; time grows as n^1.00"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
}
