package solutions

import "github.com/baeum-go/baeum/lessons/optimize"

// FP16Zeros counts the numbers that, once multiplied by scale, are below
// half of fp16's smallest subnormal (they round to zero).
func FP16Zeros(xs []float64, scale float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	zeros := 0
	for _, x := range xs {
		if x*scale < optimize.FP16Smallest/2 {
			zeros++
		}
	}
	return float64(zeros) / float64(len(xs))
}
