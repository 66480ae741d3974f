package solutions

// Conv2D slides kernel over image (stride 1, no padding) and returns the sum
// of products at every position.
func Conv2D(image, kernel [][]float32) [][]float32 {
	rows := len(image) - len(kernel) + 1
	cols := len(image[0]) - len(kernel[0]) + 1
	out := make([][]float32, rows)
	for i := range rows {
		out[i] = make([]float32, cols)
		for j := range cols {
			for di, kernelRow := range kernel {
				for dj, k := range kernelRow {
					out[i][j] += image[i+di][j+dj] * k
				}
			}
		}
	}
	return out
}
