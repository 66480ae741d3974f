package mlx

import (
	"sync/atomic"
	"testing"
)

// Every index of [0, n) is visited exactly once, whatever the number of
// workers.
func TestParallelCoversEachIndexOnce(t *testing.T) {
	for _, c := range []struct{ n, workers int }{{0, 3}, {1, 4}, {10, 3}, {100, 0}, {7, 7}, {5, 9}} {
		seen := make([]int32, c.n)
		Parallel(c.n, c.workers, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				atomic.AddInt32(&seen[i], 1)
			}
		})
		for i, s := range seen {
			if s != 1 {
				t.Fatalf("n=%d workers=%d: index %d visited %d times", c.n, c.workers, i, s)
			}
		}
	}
}
