package solutions

// LineGradient returns [∂L/∂w, ∂L/∂b] for L = 1/N Σ (w·xᵢ + b − yᵢ)².
func LineGradient(w, b float32, x, y []float32) [2]float32 {
	var dw, db float32
	for i := range x {
		err := w*x[i] + b - y[i] // how far the line misses point i
		dw += err * x[i]
		db += err
	}
	n := float32(len(x))
	return [2]float32{2 * dw / n, 2 * db / n}
}
