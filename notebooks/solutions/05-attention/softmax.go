// Package solutions holds the answers to the "your turn" cells of notebook
// 05-attention. `go run ./kernel test --solutions` runs the notebook with them.
package solutions

import "math"

// Softmax turns a row of scores into weights that are positive and sum to 1,
// subtracting the row's maximum first so that e^x cannot overflow.
func Softmax(x []float64) []float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = math.Max(m, v)
	}
	w, sum := make([]float64, len(x)), 0.0
	for i, v := range x {
		w[i] = math.Exp(v - m) // at most e^0 = 1
		sum += w[i]
	}
	for i := range w {
		w[i] /= sum
	}
	return w
}
