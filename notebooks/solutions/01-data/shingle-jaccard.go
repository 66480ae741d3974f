// Package solutions holds the answers to the "your turn" cells of notebook
// 01-data. `go run ./kernel test --solutions` runs the notebook with them.
package solutions

// ShingleJaccard is |A∩B| / |A∪B| for two sets of shingles (each listed once).
func ShingleJaccard(a, b []string) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1 // two empty documents count as the same
	}
	inA := map[string]bool{}
	for _, s := range a {
		inA[s] = true
	}
	both := 0
	for _, s := range b {
		if inA[s] {
			both++
		}
	}
	return float64(both) / float64(len(a)+len(b)-both) // |A∪B| = |A| + |B| - |A∩B|
}
