package mlx

import "testing"

// BenchSteps is the loop of the lessons' training-step benchmarks: step
// once to build and compile the graph (left out of the timing), then b.N
// times, and report steps/s and unit/s, with perStep units (images,
// tokens) in a step. step must wait until the step has finished (read a
// result back).
func BenchSteps(b *testing.B, step func() error, unit string, perStep int) {
	if err := step(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if err := step(); err != nil {
			b.Fatal(err)
		}
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N)/sec, "steps/s")
	b.ReportMetric(float64(b.N*perStep)/sec, unit+"/s")
}
