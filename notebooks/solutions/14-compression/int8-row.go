package solutions

import "math"

// QuantizeRow finds the scale that maps the largest magnitude to 127,
// rounds every weight to a whole number of steps, and multiplies back.
func QuantizeRow(w []float64) []float64 {
	largest := 0.0
	for _, x := range w {
		largest = math.Max(largest, math.Abs(x))
	}
	out := make([]float64, len(w))
	if largest == 0 {
		return out
	}
	scale := largest / 127
	for i, x := range w {
		out[i] = math.Round(x/scale) * scale
	}
	return out
}
