package cnn

import "github.com/gomlx/gomlx/core/tensors"

// tensorOf wraps n flat 28x28 images as a [n, 28, 28, 1] tensor.
func tensorOf(pixels []float32, n int) *tensors.Tensor {
	return tensors.FromFlatDataAndDimensions(pixels, n, Size, Size, 1)
}

// flat copies a float32 tensor's values out, in row-major order.
func flat(t *tensors.Tensor) []float32 {
	return tensors.MustCopyFlatData[float32](t)
}

// fromFlat wraps values as a float32 tensor of the given dimensions.
func fromFlat(values []float32, dims ...int) *tensors.Tensor {
	return tensors.FromFlatDataAndDimensions(values, dims...)
}
