package solutions

import "github.com/baeum-go/baeum/lessons/transformer"

// BlockParams counts the weights and biases of one Transformer block.
func BlockParams(c transformer.Config, cross bool) int {
	d, h := c.Dim, c.MLPRatio*c.Dim
	attention := 4 * (d*d + d)   // W_Q, W_K, W_V, W_O and their biases
	mlp := (d*h + h) + (h*d + d) // two dense layers
	layerNorm := 2 * d           // gain and offset
	if cross {
		return 2*attention + mlp + 3*layerNorm
	}
	return attention + mlp + 2*layerNorm
}
