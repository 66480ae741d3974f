package efficient

import "math"

// OnlineAverage is the online softmax of Blockwise, one score at a time, in
// plain Go: it returns Σ_i softmax(scores)_i · values_i while keeping only
// three numbers, the largest score so far m, the sum of e^(s−m) so far ℓ
// and the weighted sum of values so far o. When a new score raises the
// maximum, what was summed is rescaled by e^(m_old − m_new).
//
//	OnlineAverage([]float64{0, 0}, []float64{1, 3}) = 2
func OnlineAverage(scores, values []float64) float64 {
	m, l, o := math.Inf(-1), 0.0, 0.0
	for i, s := range scores {
		mNew := math.Max(m, s)
		fix := math.Exp(m - mNew) // 0 at the first score (m = −∞)
		p := math.Exp(s - mNew)
		l = l*fix + p
		o = o*fix + p*values[i]
		m = mNew
	}
	if l == 0 {
		return 0
	}
	return o / l
}

// HashVector is LSH.Hash for one vector in plain Go: project x on the
// columns of rotation (len(x) rows, k columns), and return the index of the
// largest of the 2k numbers [xR, −xR] (the first, on a tie).
//
//	HashVector([]float64{1, 0}, [][]float64{{0, 1}, {1, 0}}) = 1 (x·R = [0, 1]; [0, 1, −0, −1])
//	HashVector([]float64{-1, 0}, [][]float64{{0, 1}, {1, 0}}) = 3 (x·R = [0, −1]; [0, −1, −0, 1])
func HashVector(x []float64, rotation [][]float64) int {
	k := len(rotation[0])
	best, at := math.Inf(-1), 0
	for j := range 2 * k {
		p := 0.0
		for i := range x {
			p += x[i] * rotation[i][j%k]
		}
		if j >= k {
			p = -p
		}
		if p > best {
			best, at = p, j
		}
	}
	return at
}
