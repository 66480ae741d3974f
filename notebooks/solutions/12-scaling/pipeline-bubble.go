package solutions

// PipelineBubble: of the m + p − 1 time slots of a pipelined step, each
// stage is idle for p − 1 (waiting to fill, then to drain the pipeline).
func PipelineBubble(p, m int) float64 {
	return float64(p-1) / float64(m+p-1)
}
