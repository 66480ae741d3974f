package solutions

import "math"

// GeneratorLoss is the mean binary cross-entropy of the fakes' scores with
// the label 1: low when the discriminator takes the fakes for real.
func GeneratorLoss(fake []float64) float64 {
	var sum float64
	for _, x := range fake {
		// −ln σ(x) = ln(1 + e^−x), written so that e^−x never overflows.
		sum += max(-x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
	}
	return sum / float64(len(fake))
}
