package mlx

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// BenchSteps is the loop of the lessons' training-step benchmarks: step
// once to build and compile the graph (left out of the timing), then b.N
// times, and report steps/s and unit/s, with perStep units (images,
// tokens) in a step, and, where the system counts them, the page faults
// per step (pages first touched: a step that gets fresh memory from the
// kernel every time pays for zeroing it; see malloc_linux.go). step must
// wait until the step has finished (read a result back).
func BenchSteps(b *testing.B, step func() error, unit string, perStep int) {
	if err := step(); err != nil {
		b.Fatal(err)
	}
	faults, countsFaults := pageFaults()
	b.ResetTimer()
	for range b.N {
		if err := step(); err != nil {
			b.Fatal(err)
		}
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N)/sec, "steps/s")
	b.ReportMetric(float64(b.N*perStep)/sec, unit+"/s")
	if now, ok := pageFaults(); ok && countsFaults {
		b.ReportMetric(float64(now-faults)/float64(b.N), "faults/step")
	}
}

// MedianSeconds runs run once to warm up (compile, fill caches), then runs
// more times, and returns the median duration of the timed runs. run must
// wait until its work has finished (read a result back).
func MedianSeconds(run func() error, runs int) (float64, error) {
	if runs < 1 {
		return 0, fmt.Errorf("mlx.MedianSeconds: runs must be at least 1, got %d", runs)
	}
	times := make([]float64, 0, runs)
	for i := range runs + 1 {
		start := time.Now()
		if err := run(); err != nil {
			return 0, err
		}
		if i > 0 {
			times = append(times, time.Since(start).Seconds())
		}
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}
