package cnn

// The arithmetic of a convolution layer in plain Go: its output size, its
// number of parameters, and the sliding window itself on one small
// one-channel image. These are the answers to the notebook's "your turn"
// exercises; Summary uses the first two, and the tests check all three
// against what GoMLX's graph.Convolve and layers.Convolution do.

// OutputSize is the side of a convolution's or pooling's output: a window of
// side kernel, moved stride pixels at a time over an input of side in with
// padding pixels added on each edge, fits
//
//	(in + 2·padding − kernel) / stride + 1
//
// times (rounded down: a window that would stick out is dropped).
//
//	OutputSize(28, 3, 1, 0) = 26  // Conv2D(3x3), Keras' "valid"
//	OutputSize(11, 2, 2, 0) = 5   // MaxPooling2D(2): the last row is dropped
//	OutputSize(28, 3, 1, 1) = 28  // one pixel of padding keeps the size ("same")
func OutputSize(in, kernel, stride, padding int) int {
	return (in+2*padding-kernel)/stride + 1
}

// ConvParams is the number of parameters of a convolution layer with
// kernel x kernel windows from in channels to out channels: every output
// channel has one weight per window position and input channel, plus one
// bias. The image size does not appear: the same filter slides everywhere.
//
//	ConvParams(3, 1, 32) = 3·3·1·32 + 32 = 320
func ConvParams(kernel, in, out int) int {
	return kernel*kernel*in*out + out
}

// Conv2D slides kernel over image (one channel each, rows of equal length),
// with stride 1 and no padding, and returns at each position the sum of the
// products of the overlapping values. Like every deep-learning library it
// does not flip the kernel (mathematicians call this cross-correlation).
//
//	image 3x3 = 1 2 3    kernel 2x2 = 1 0    out 2x2 = 1-5 2-6 = -4 -4
//	            4 5 6                 0 -1             4-8 5-9   -4 -4
//	            7 8 9
func Conv2D(image, kernel [][]float32) [][]float32 {
	kh, kw := len(kernel), len(kernel[0])
	out := make([][]float32, OutputSize(len(image), kh, 1, 0))
	for i := range out {
		out[i] = make([]float32, OutputSize(len(image[0]), kw, 1, 0))
		for j := range out[i] {
			var sum float32
			for di := range kh {
				for dj := range kw {
					sum += image[i+di][j+dj] * kernel[di][dj]
				}
			}
			out[i][j] = sum
		}
	}
	return out
}
