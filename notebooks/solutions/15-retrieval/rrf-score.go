package solutions

// RRFScore adds 1/(60 + rank) for each ranking that holds the passage.
func RRFScore(ranks []int) float64 {
	s := 0.0
	for _, r := range ranks {
		s += 1 / float64(60+r)
	}
	return s
}
