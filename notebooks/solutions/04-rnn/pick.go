package solutions

// Pick walks the cumulative sum of p until it passes u·sum(p).
func Pick(p []float64, u float64) int32 {
	sum := 0.0
	for _, v := range p {
		sum += v
	}
	u *= sum // probabilities need not sum to 1
	for i, v := range p {
		if u < v {
			return int32(i)
		}
		u -= v
	}
	return int32(len(p) - 1) // rounding left u just past the end
}
