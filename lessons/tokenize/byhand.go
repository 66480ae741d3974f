package tokenize

// The two steps of BPE training written the plain, textbook way, on one
// sequence of ids: count the adjacent pairs, then replace the chosen pair by a
// new token. They are the answers to the notebook's "your turn" cells; the
// trainer in train.go does the same on the whole corpus at once, updating the
// counts only where a merge happened. The tests check these against it.

// CountPairs counts each pair of adjacent ids.
//
//	CountPairs([]int{1, 2, 3, 1, 2}) -> {(1,2): 2, (2,3): 1, (3,1): 1}
func CountPairs(ids []int) map[[2]int]int {
	counts := map[[2]int]int{}
	for i := 0; i+1 < len(ids); i++ {
		counts[[2]int{ids[i], ids[i+1]}]++
	}
	return counts
}

// MergePair replaces every occurrence of pair in ids by newID, left to right
// (so in [1 1 1] the pair (1,1) is replaced once, at the start).
//
//	MergePair([]int{1, 2, 3, 1, 2}, [2]int{1, 2}, 4) -> [4 3 4]
func MergePair(ids []int, pair [2]int, newID int) []int {
	out := make([]int, 0, len(ids))
	for i := 0; i < len(ids); i++ {
		if i+1 < len(ids) && ids[i] == pair[0] && ids[i+1] == pair[1] {
			out = append(out, newID)
			i++ // the pair's second id is consumed too
			continue
		}
		out = append(out, ids[i])
	}
	return out
}
