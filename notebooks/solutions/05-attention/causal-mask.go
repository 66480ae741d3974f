package solutions

// CausalMask is the n×n mask in which position i may look at positions
// 0..i: mask[i][j] = j <= i.
func CausalMask(n int) [][]bool {
	mask := make([][]bool, n)
	for i := range mask {
		mask[i] = make([]bool, n)
		for j := range mask[i] {
			mask[i][j] = j <= i
		}
	}
	return mask
}
