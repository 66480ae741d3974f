package solutions

// WordsF1 counts the units pred and gold share (each as often as it occurs
// in both) and returns the harmonic mean of precision and recall.
func WordsF1(pred, gold []string) float64 {
	if len(pred) == 0 && len(gold) == 0 {
		return 1
	}
	left := map[string]int{}
	for _, g := range gold {
		left[g]++
	}
	shared := 0
	for _, p := range pred {
		if left[p] > 0 {
			left[p]--
			shared++
		}
	}
	if shared == 0 {
		return 0
	}
	precision := float64(shared) / float64(len(pred))
	recall := float64(shared) / float64(len(gold))
	return 2 * precision * recall / (precision + recall)
}
