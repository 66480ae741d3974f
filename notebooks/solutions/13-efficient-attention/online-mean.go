package solutions

import "math"

// OnlineMean keeps the running maximum m, the sum of e^(s−m) and the
// weighted sum of values, rescaling both sums whenever the maximum grows.
func OnlineMean(scores, values []float64) float64 {
	m, l, o := math.Inf(-1), 0.0, 0.0
	for i, s := range scores {
		next := math.Max(m, s)
		scale := math.Exp(m - next)
		p := math.Exp(s - next)
		l, o, m = l*scale+p, o*scale+p*values[i], next
	}
	if l == 0 {
		return 0
	}
	return o / l
}
