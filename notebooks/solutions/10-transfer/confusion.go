package solutions

// Confusion counts m[t][p]: the items of true class t predicted as p.
func Confusion(truth, pred []int, classes int) [][]int {
	m := make([][]int, classes)
	for t := range m {
		m[t] = make([]int, classes)
	}
	for i, t := range truth {
		m[t][pred[i]]++
	}
	return m
}
