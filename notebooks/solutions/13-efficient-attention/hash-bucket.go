package solutions

// HashBucket projects x on every column of rotation and returns the index
// of the largest of the projections followed by their negatives.
func HashBucket(x []float64, rotation [][]float64) int {
	k := len(rotation[0])
	best, at := 0.0, -1
	for j := range 2 * k {
		p := 0.0
		for i := range x {
			p += x[i] * rotation[i][j%k]
		}
		if j >= k {
			p = -p
		}
		if at < 0 || p > best {
			best, at = p, j
		}
	}
	return at
}
