package compress

import (
	"fmt"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
)

// Scheme is a way of storing weights.
type Scheme string

// The schemes of the lesson.
const (
	Float32    Scheme = "float32"
	Int8Tensor Scheme = "int8, one scale per tensor"
	Int8Chan   Scheme = "int8, one scale per output channel"
	Q8_0       Scheme = "Q8_0 (8 bits, blocks of 32)"
	Q4_0       Scheme = "Q4_0 (4 bits, blocks of 32)"
)

// Schemes lists them from the largest to the smallest.
var Schemes = []Scheme{Float32, Int8Tensor, Int8Chan, Q8_0, Q4_0}

// Quantized is a lesson-03 network whose weights went through a scheme and
// back: the numbers a quantized model computes with, on any backend.
type Quantized struct {
	Net         *cnn.Classifier
	Bytes       int      // the weights' storage in the scheme (biases and unblockable tensors in float32)
	Float32Kept []string // tensors a GGML scheme could not block (inputs per output not a multiple of 32)
}

// QuantizeNet quantizes every weight tensor of c (biases stay float32, as
// in practice) with scheme and returns a copy whose weights are the
// dequantized values. A tensor is seen as rows × cols with cols its last
// axis (output channels); GGML blocks run along the inputs of each output,
// as llama.cpp lays out [out, in] matrices, and tensors whose inputs per
// output are not a multiple of 32 stay float32.
func QuantizeNet(backend compute.Backend, c *cnn.Classifier, scheme Scheme) (*Quantized, error) {
	q := &Quantized{Net: cnn.NewClassifier(backend, 1)}
	ws, err := readWeights(c, "QuantizeNet")
	if err != nil {
		return nil, err
	}
	for _, wt := range ws {
		path, w, dims := wt.path, wt.values, wt.dims
		cols := dims[len(dims)-1]
		rows := len(w) / cols
		out, bytes := w, 4*len(w)
		if len(dims) > 1 && scheme != Float32 { // a weight matrix or kernel, not a bias
			if out, bytes, err = roundTrip(w, rows, cols, scheme); err != nil {
				return nil, fmt.Errorf("compress.QuantizeNet %s: %w", path, err)
			}
			if bytes == 4*len(w) {
				q.Float32Kept = append(q.Float32Kept, path)
			}
		}
		q.Bytes += bytes
		if _, err := q.Net.Store.CreateVariable(path, tensors.FromFlatDataAndDimensions(out, dims...)); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// roundTrip quantizes a rows × cols matrix and dequantizes it, returning
// the values and the bytes the scheme stores.
func roundTrip(w []float32, rows, cols int, scheme Scheme) ([]float32, int, error) {
	switch scheme {
	case Int8Tensor, Int8Chan:
		q, err := QuantizeInt8(w, rows, cols, scheme == Int8Chan)
		if err != nil {
			return nil, 0, err
		}
		return q.Dequantize(), q.Bytes(), nil
	case Q8_0, Q4_0:
		if rows%BlockSize != 0 {
			return w, 4 * len(w), nil // stays float32
		}
		out := make([]float32, len(w))
		bytes := 0
		row := make([]float32, rows)
		for j := range cols { // one output's inputs: column j
			for i := range rows {
				row[i] = w[i*cols+j]
			}
			pack := PackQ4_0
			if scheme == Q8_0 {
				pack = PackQ8_0
			}
			b, err := pack(row)
			if err != nil {
				return nil, 0, err
			}
			bytes += len(b)
			for i, x := range Unpack(b, scheme == Q8_0) {
				out[i*cols+j] = x
			}
		}
		return out, bytes, nil
	}
	return nil, 0, fmt.Errorf("unknown scheme %q", scheme)
}
