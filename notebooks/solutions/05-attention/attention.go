package solutions

import "math"

// Attention is softmax(mask(Q Kᵀ / √d_k)) V, one query (row) at a time.
func Attention(q, k, v [][]float64, mask [][]bool) [][]float64 {
	scale := 1 / math.Sqrt(float64(len(q[0])))
	out := make([][]float64, len(q))
	for i := range q {
		scores := make([]float64, len(k))
		for j := range k {
			for d := range q[i] {
				scores[j] += q[i][d] * k[j][d]
			}
			scores[j] *= scale
			if mask != nil && !mask[i][j] {
				scores[j] = math.Inf(-1) // may not look: weight 0
			}
		}
		weights := Softmax(scores)
		out[i] = make([]float64, len(v[0]))
		for j, w := range weights {
			for d := range out[i] {
				out[i][d] += w * v[j][d]
			}
		}
	}
	return out
}
