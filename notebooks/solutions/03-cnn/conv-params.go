package solutions

// ConvParams counts a convolution layer's parameters: one kernel x kernel x in
// filter and one bias per output channel.
func ConvParams(kernel, in, out int) int {
	perFilter := kernel * kernel * in
	return out * (perFilter + 1)
}
