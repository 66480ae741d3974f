// Package solutions holds the answers to the "your turn" cells of notebook
// 03-cnn. `go run ./kernel test --solutions` runs the notebook with them.
package solutions

// OutputSize is the side of a convolution's or pooling's output: how many
// windows of side kernel, stride pixels apart, fit in in + 2·padding pixels.
func OutputSize(in, kernel, stride, padding int) int {
	return (in+2*padding-kernel)/stride + 1
}
