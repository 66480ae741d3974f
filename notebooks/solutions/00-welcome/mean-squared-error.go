// Package solutions holds the answers to the "your turn" cells of notebook
// 00-welcome. `go run ./kernel test --solutions` runs the notebook with them.
package solutions

// MeanSquaredError is the average of (prediction - truth)².
func MeanSquaredError(pred, truth []float32) float32 {
	var sum float32
	for i := range pred {
		d := pred[i] - truth[i]
		sum += d * d
	}
	return sum / float32(len(pred))
}
