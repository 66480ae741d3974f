package solutions

import "sort"

// TopP sorts the ids by probability (stable, so equal probabilities keep
// the lower id first) and keeps them until the running total reaches p.
func TopP(probs []float64, p float64) []int {
	ids := make([]int, len(probs))
	for i := range ids {
		ids[i] = i
	}
	sort.SliceStable(ids, func(a, b int) bool { return probs[ids[a]] > probs[ids[b]] })
	total := 0.0
	for n, id := range ids {
		total += probs[id]
		if total >= p {
			return ids[:n+1]
		}
	}
	return ids
}
