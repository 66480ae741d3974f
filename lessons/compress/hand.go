package compress

import "math"

// Int8RoundTrip is symmetric int8 quantization of one row by hand, in plain
// Go, the arithmetic QuantizeInt8 does for a whole tensor: the scale maps
// the largest magnitude to 127, each weight becomes the nearest integer
// step (a number in [−127, 127], one byte), and dequantizing multiplies
// back.
//
//	Int8RoundTrip([]float64{0.5, −1.27, 0.013}) = [0.5, −1.27, 0.01]
func Int8RoundTrip(w []float64) []float64 {
	scale := 0.0
	for _, x := range w {
		scale = math.Max(scale, math.Abs(x))
	}
	scale /= 127
	out := make([]float64, len(w))
	if scale == 0 {
		return out
	}
	for i, x := range w {
		out[i] = math.Round(x/scale) * scale
	}
	return out
}

// PruneVector zeroes the smallest fraction of w by magnitude (MagnitudeMask
// on one vector); a fraction outside [0, 1) panics.
func PruneVector(w []float64, fraction float64) []float64 {
	w32 := make([]float32, len(w))
	for i, x := range w {
		w32[i] = float32(x)
	}
	mask, err := MagnitudeMask(w32, fraction)
	if err != nil {
		panic(err)
	}
	out := make([]float64, len(w))
	for i, x := range w {
		out[i] = x * float64(mask[i])
	}
	return out
}
