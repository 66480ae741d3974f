// Package solutions holds the answers to the "your turn" cells of notebook
// 02-tokenization. `go run ./kernel test --solutions` runs the notebook with
// them.
package solutions

// CountPairs counts each pair of adjacent ids.
func CountPairs(ids []int) map[[2]int]int {
	counts := map[[2]int]int{}
	for i := 0; i+1 < len(ids); i++ {
		counts[[2]int{ids[i], ids[i+1]}]++
	}
	return counts
}
