package mlx

import (
	"runtime"
	"sync"
)

// Parallel runs f(lo, hi) over [0, n) cut into one consecutive chunk per
// worker (workers <= 0: one per CPU), each on its own goroutine, and waits
// for all of them. Lessons use it for work done in plain Go (lesson 01's
// deduplication, lesson 15's k-means).
func Parallel(n, workers int, f func(lo, hi int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunk := max((n+workers-1)/workers, 1)
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		wg.Go(func() { f(lo, min(lo+chunk, n)) })
	}
	wg.Wait()
}
