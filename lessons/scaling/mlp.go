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

// adamStep is one training step as a graph: the mean squared error of the
// batch, and the weights and Adam's moments after one update (rate lr,
// β1 0.9, β2 0.999; t is the step number, from 1, for the bias
// correction). Inputs: x, y, the 4 weights (w1, b1, w2, b2), their 4 first
// moments, their 4 second moments, t; outputs: loss, then the 12 updated
// tensors in the same order.
func adamStep(lr float64) func(inputs []*Node) []*Node {
	const beta1, beta2, eps = 0.9, 0.999, 1e-8
	return func(in []*Node) []*Node {
		x, y, w, m, v, t := in[0], in[1], in[2:6], in[6:10], in[10:14], in[14]
		h := Max(Add(MatMul(x, w[0]), ExpandAxes(w[1], 0)), ScalarZero(x.Graph(), x.DType())) // [batch, hidden]
		pred := Add(MatMul(h, w[2]), ExpandAxes(w[3], 0))                                     // [batch, out]
		loss := ReduceAllMean(Square(Sub(pred, y)))
		grads := Gradient(loss, w...)
		// lr·√(1−β2^t)/(1−β1^t): Adam's bias correction folded into the rate
		rate := MulScalar(Div(Sqrt(OneMinus(Pow(Scalar(x.Graph(), x.DType(), beta2), t))),
			OneMinus(Pow(Scalar(x.Graph(), x.DType(), beta1), t))), lr)
		outW, outM, outV := make([]*Node, 4), make([]*Node, 4), make([]*Node, 4)
		for i, g := range grads {
			outM[i] = Add(MulScalar(m[i], beta1), MulScalar(g, 1-beta1))
			outV[i] = Add(MulScalar(v[i], beta2), MulScalar(Square(g), 1-beta2))
			outW[i] = Sub(w[i], Mul(rate, Div(outM[i], AddScalar(Sqrt(outV[i]), eps))))
		}
		return append(append(append([]*Node{loss}, outW...), outM...), outV...)
	}
}
