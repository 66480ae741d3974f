package solutions

// CountClasses is how many different digits labels holds.
func CountClasses(labels []int) int {
	seen := map[int]bool{} // each digit once, however often it appears
	for _, c := range labels {
		seen[c] = true
	}
	return len(seen)
}
