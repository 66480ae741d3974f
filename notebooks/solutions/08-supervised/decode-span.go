package solutions

// DecodeSpan tries every allowed start i and every allowed end j with
// i <= j < i+maxLen, and keeps the first pair with the highest
// start[i] + end[j].
func DecodeSpan(start, end []float32, canStart, canEnd []bool, maxLen int) (i, j int, score float32, ok bool) {
	for a := range start {
		if !canStart[a] {
			continue
		}
		for b := a; b < a+maxLen && b < len(end); b++ {
			if !canEnd[b] {
				continue
			}
			if s := start[a] + end[b]; !ok || s > score {
				i, j, score, ok = a, b, s, true
			}
		}
	}
	return i, j, score, ok
}
