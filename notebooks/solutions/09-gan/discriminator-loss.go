// Package solutions holds the answers to the "your turn" cells of notebook
// 09-gan. `go run ./kernel test --solutions` runs the notebook with them.
package solutions

import "math"

// DiscriminatorLoss is the mean binary cross-entropy of the scores, the real
// images labelled 1 and the fakes 0.
func DiscriminatorLoss(real, fake []float64) float64 {
	// −[y·ln σ(x) + (1−y)·ln(1−σ(x))], rearranged so that exp never overflows.
	bce := func(x, y float64) float64 { return max(x, 0) - x*y + math.Log1p(math.Exp(-math.Abs(x))) }
	var sum float64
	for _, x := range real {
		sum += bce(x, 1)
	}
	for _, x := range fake {
		sum += bce(x, 0)
	}
	return sum / float64(len(real)+len(fake))
}
