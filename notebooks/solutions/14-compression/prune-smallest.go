package solutions

import (
	"math"
	"sort"
)

// PruneSmallest sorts the positions by magnitude and zeroes the first
// int(fraction·len(w)) of them.
func PruneSmallest(w []float64, fraction float64) []float64 {
	order := make([]int, len(w))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return math.Abs(w[order[a]]) < math.Abs(w[order[b]]) })
	out := append([]float64(nil), w...)
	for _, i := range order[:int(fraction*float64(len(w)))] {
		out[i] = 0
	}
	return out
}
