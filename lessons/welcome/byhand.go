package welcome

// The same mean squared error and gradient that GoMLX computes for the
// model (loss.MeanSquaredError and graph.Gradient), written by hand in plain
// Go: the answers to the notebook's "your turn" exercises. The tests check
// them against GoMLX.

// MeanSquaredError is the average of (prediction - truth)² over the points.
//
//	MeanSquaredError([]float32{1, 2}, []float32{1, 4}) = (0² + 2²) / 2 = 2
func MeanSquaredError(pred, truth []float32) float32 {
	var sum float32
	for i := range pred {
		d := pred[i] - truth[i]
		sum += d * d
	}
	return sum / float32(len(pred))
}

// LineGradient is the gradient of the mean squared error of ŷ = w·x + b with
// respect to w and b, the numbers gradient descent follows downhill:
//
//	∂L/∂w = 2/N Σ (w·xᵢ + b − yᵢ)·xᵢ
//	∂L/∂b = 2/N Σ (w·xᵢ + b − yᵢ)
func LineGradient(w, b float32, x, y []float32) [2]float32 {
	var dw, db float32
	for i := range x {
		err := w*x[i] + b - y[i]
		dw += err * x[i]
		db += err
	}
	n := float32(len(x))
	return [2]float32{2 * dw / n, 2 * db / n}
}
