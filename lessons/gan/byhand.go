package gan

import "math"

// The two losses of the alternating step (discriminatorLoss and
// generatorLoss, which call GoMLX's loss.BinaryCrossentropyLogits), written
// by hand in plain Go from the discriminator's scores (logits): the answers
// to the notebook's "your turn" exercises. TestByHandLossesMatchGoMLX checks
// them against the graph versions.

// DiscriminatorLoss is the mean binary cross-entropy of the discriminator's
// logits, the real images labelled 1 and the fakes 0. Written with softplus
// (see bceWithLogits), it stays finite for any logit:
//
//	DiscriminatorLoss([]float64{0}, []float64{0}) = ln 2 = 0.693 (can't tell them apart)
//	DiscriminatorLoss([]float64{100}, []float64{-100}) ≈ 0 (sure and right)
func DiscriminatorLoss(real, fake []float64) float64 {
	var sum float64
	for _, x := range real {
		sum += bceWithLogits(x, 1)
	}
	for _, x := range fake {
		sum += bceWithLogits(x, 0)
	}
	return sum / float64(len(real)+len(fake))
}

// GeneratorLoss is the generator's side of the game: the same binary
// cross-entropy on the fakes' logits, but with the label 1 ("real"), so it
// is low when the discriminator believes the fakes.
//
//	GeneratorLoss([]float64{0}) = ln 2 = 0.693, GeneratorLoss([]float64{-100}) = 100
func GeneratorLoss(fake []float64) float64 {
	var sum float64
	for _, x := range fake {
		sum += bceWithLogits(x, 1)
	}
	return sum / float64(len(fake))
}

// bceWithLogits is −[y·ln σ(x) + (1−y)·ln(1−σ(x))] for the logit x and the
// label y, rearranged as max(x, 0) − x·y + ln(1 + e^−|x|): e is never raised
// to a large positive power, and ln never sees 0, so x = ±1000 gives
// 1000 or 0 instead of Inf or NaN.
func bceWithLogits(x, y float64) float64 {
	return max(x, 0) - x*y + math.Log1p(math.Exp(-math.Abs(x)))
}
