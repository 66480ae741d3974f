package solutions

// MergePair replaces every occurrence of pair in ids by newID, left to right.
func MergePair(ids []int, pair [2]int, newID int) []int {
	var out []int
	for i := 0; i < len(ids); i++ {
		if i+1 < len(ids) && ids[i] == pair[0] && ids[i+1] == pair[1] {
			out = append(out, newID)
			i++ // skip the pair's second id
		} else {
			out = append(out, ids[i])
		}
	}
	return out
}
