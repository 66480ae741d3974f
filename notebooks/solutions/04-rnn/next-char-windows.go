// Package solutions holds the answers to the "your turn" cells of notebook
// 04-rnn. `go run ./kernel test --solutions` runs the notebook with them.
package solutions

// NextCharWindows cuts ids into non-overlapping windows of seqLen+1
// characters: the first seqLen are the inputs, the last seqLen the labels.
func NextCharWindows(ids []int32, seqLen int) (inputs, labels [][]int32) {
	for start := 0; start+seqLen+1 <= len(ids); start += seqLen {
		inputs = append(inputs, ids[start:start+seqLen])
		labels = append(labels, ids[start+1:start+seqLen+1]) // shifted by one
	}
	return inputs, labels
}
