package scaling

import (
	"math/rand/v2"

	. "github.com/gomlx/gomlx/core/graph"
)

// MLP is the lesson's model: a two-layer perceptron y = relu(x·W1 + b1)·W2
// + b2, its weights kept as plain float32 slices so that the lesson can
// cut them by hand (tensor parallelism) and count their bytes. It learns a
// fixed random linear map (Batch makes the examples).
type MLP struct {
	In, Hidden, Out int
	W1, B1, W2, B2  []float32 // [In, Hidden], [Hidden], [Hidden, Out], [Out]
}

// NewMLP draws the weights ~ N(0, 1/fan-in) with seed.
func NewMLP(in, hidden, out int, seed uint64) *MLP {
	r := rand.New(rand.NewPCG(seed, 1))
	fill := func(n, fanIn int) []float32 {
		w := make([]float32, n)
		for i := range w {
			w[i] = float32(r.NormFloat64()) / float32(fanIn)
		}
		return w
	}
	return &MLP{In: in, Hidden: hidden, Out: out, W1: fill(in*hidden, in), B1: make([]float32, hidden), W2: fill(hidden*out, hidden), B2: make([]float32, out)}
}

// Params is the number of weights.
func (m *MLP) Params() int { return len(m.W1) + len(m.B1) + len(m.W2) + len(m.B2) }

// Batch is n examples of the task: x ~ N(0, 1) [n, In] and y = x·T [n,
// Out] for a fixed random T; seed picks the examples.
func (m *MLP) Batch(n int, seed uint64) (x, y []float32) {
	t := rand.New(rand.NewPCG(42, 42)) // the task: the same for every batch
	target := make([]float32, m.In*m.Out)
	for i := range target {
		target[i] = float32(t.NormFloat64())
	}
	r := rand.New(rand.NewPCG(seed, 7))
	x, y = make([]float32, n*m.In), make([]float32, n*m.Out)
	for i := range n {
		for k := range m.In {
			x[i*m.In+k] = float32(r.NormFloat64())
		}
		for j := range m.Out {
			s := float32(0)
			for k := range m.In {
				s += x[i*m.In+k] * target[k*m.Out+j]
			}
			y[i*m.Out+j] = s
		}
	}
	return x, y
}

// sgdStep is one training step as a graph: the mean squared error of the
// batch, and the weights after one step of gradient descent at rate lr.
// Inputs: x, y, w1, b1, w2, b2; outputs: loss, w1, b1, w2, b2.
func sgdStep(lr float64) func(inputs []*Node) []*Node {
	return func(in []*Node) []*Node {
		x, y, w1, b1, w2, b2 := in[0], in[1], in[2], in[3], in[4], in[5]
		h := Max(Add(MatMul(x, w1), ExpandAxes(b1, 0)), ScalarZero(x.Graph(), x.DType())) // [batch, hidden]
		pred := Add(MatMul(h, w2), ExpandAxes(b2, 0))    // [batch, out]
		loss := ReduceAllMean(Square(Sub(pred, y)))      // scalar
		grads := Gradient(loss, w1, b1, w2, b2)
		out := []*Node{loss}
		for i, w := range []*Node{w1, b1, w2, b2} {
			out = append(out, Sub(w, MulScalar(grads[i], lr)))
		}
		return out
	}
}
