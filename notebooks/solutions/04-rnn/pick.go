package solutions

// Pick walks the cumulative sum of p until it passes u·sum(p).
func Pick(p []float64, u float64) int32 {
	sum := 0.0
	for _, v := range p {
		sum += v
	}
	u *= sum // probabilities need not sum to 1
	last := 0
	for i, v := range p {
		if v == 0 {
			continue // never picked
		}
		if u < v {
			return int32(i)
		}
		u -= v
		last = i
	}
	return int32(last) // rounding left u just past the end
}
