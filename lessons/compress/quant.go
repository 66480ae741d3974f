package compress

import (
	"fmt"
	"math"
)

// Int8 is a weight matrix of rows × cols (a Dense layer's [inputs, outputs])
// quantized symmetrically to int8: w ≈ Q·scale, with one scale for the
// whole matrix (per tensor) or one per output column (per channel).
type Int8 struct {
	Rows, Cols int
	Q          []int8    // row-major, like the weights
	Scales     []float32 // 1 (per tensor) or Cols (per channel)
}

// QuantizeInt8 maps each weight to round(w/scale) in [−127, 127], with
// scale = max|w|/127 over the tensor, or over each column when perChannel.
// A column (or tensor) of zeros gets scale 0 and quantizes to zeros.
func QuantizeInt8(w []float32, rows, cols int, perChannel bool) (*Int8, error) {
	if rows <= 0 || cols <= 0 || len(w) != rows*cols {
		return nil, fmt.Errorf("compress.QuantizeInt8: %d weights are not %d × %d", len(w), rows, cols)
	}
	groups := 1
	if perChannel {
		groups = cols
	}
	group := func(i int) int { // the scale of weight i
		if perChannel {
			return i % cols
		}
		return 0
	}
	q := &Int8{Rows: rows, Cols: cols, Q: make([]int8, len(w)), Scales: make([]float32, groups)}
	for i, x := range w {
		g := group(i)
		q.Scales[g] = max(q.Scales[g], float32(math.Abs(float64(x))))
	}
	for g := range q.Scales {
		q.Scales[g] /= 127
	}
	for i, x := range w {
		if s := q.Scales[group(i)]; s > 0 {
			q.Q[i] = int8(math.Round(float64(x / s)))
		}
	}
	return q, nil
}

// Dequantize gives back float32 weights: Q·scale.
func (q *Int8) Dequantize() []float32 {
	w := make([]float32, len(q.Q))
	for i, v := range q.Q {
		s := q.Scales[0]
		if len(q.Scales) > 1 {
			s = q.Scales[i%q.Cols]
		}
		w[i] = float32(v) * s
	}
	return w
}

// Bytes is the storage size: one byte per weight plus 4 per scale.
func (q *Int8) Bytes() int { return len(q.Q) + 4*len(q.Scales) }
