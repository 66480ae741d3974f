package compress

import (
	"fmt"
	"math"
	"slices"
)

// MagnitudeMask keeps the largest-magnitude weights and drops the smallest
// fraction of them (0.9: 90% become zero; ties at the threshold are kept),
// returning a mask of 1s (kept) and 0s (pruned). Training with the mask
// held (weights multiplied by it after every update) keeps them at zero.
func MagnitudeMask(w []float32, fraction float64) ([]float32, error) {
	if fraction < 0 || fraction >= 1 {
		return nil, fmt.Errorf("compress.MagnitudeMask: fraction %g must be in [0, 1)", fraction)
	}
	mags := make([]float64, len(w))
	for i, x := range w {
		mags[i] = math.Abs(float64(x))
	}
	sorted := slices.Clone(mags)
	slices.Sort(sorted)
	cut := int(fraction * float64(len(w)))
	mask := make([]float32, len(w))
	if cut == 0 {
		for i := range mask {
			mask[i] = 1
		}
		return mask, nil
	}
	threshold := sorted[cut-1] // the largest pruned magnitude
	dropped := 0
	for i, m := range mags {
		if m < threshold || (m == threshold && dropped < cut) {
			dropped++
			continue
		}
		mask[i] = 1
	}
	return mask, nil
}

// Sparsity is the fraction of zeros in mask.
func Sparsity(mask []float32) float64 {
	zeros := 0
	for _, m := range mask {
		if m == 0 {
			zeros++
		}
	}
	return float64(zeros) / float64(max(len(mask), 1))
}

// SparseBytes is what a pruned matrix costs stored sparsely in CSR form:
// 4 bytes per kept value, 4 per kept value's column index, 4 per row
// pointer (rows+1). Unstructured sparsity saves bytes only beyond about
// 50%; the dense kernels do not get faster at all.
func SparseBytes(mask []float32, rows int) int {
	kept := 0
	for _, m := range mask {
		if m != 0 {
			kept++
		}
	}
	return 8*kept + 4*(rows+1)
}
