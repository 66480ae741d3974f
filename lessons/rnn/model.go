package rnn

import (
	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
)

// The seed's sizes.
const (
	EmbedDim  = 256 // Embedding(vocab, 256)
	HiddenDim = 128 // LSTM(128)
)

// Forward runs Embedding - LSTM - Dense over tokens [batch, seq] (int32
// ids) and returns the logits of the next character at every position
// [batch, seq, vocab], with the LSTM's last hidden and cell states
// [1, batch, 128]. h0 and c0 ([1, batch, 128]) continue from an earlier
// state; nil starts from zeros, as every training window does.
func Forward(scope *model.Scope, tokens *Node, vocab int, h0, c0 *Node) (logits, h, c *Node) {
	scope = cnn.Keras(scope) // the seed's (Keras') initializer: Glorot uniform
	batch, seq := tokens.Shape().Dimensions[0], tokens.Shape().Dimensions[1]
	// The Embedding(vocab, 256) layer's table (layers.Embedding's variable);
	// LSTM looks characters up in it.
	embeddings := scope.In("embedding").VariableWithShape("embeddings",
		shapes.Make(dtypes.Float32, vocab, EmbedDim)).NodeValue(tokens.Graph()) // [vocab, 256]
	all, h, c := LSTM(scope.In("lstm"), embeddings, tokens, h0, c0) // [batch, seq, 128]
	logits = layers.Dense(scope.In("output"), all, true, vocab)     // [batch, seq, vocab]
	logits.AssertDims(batch, seq, vocab)
	return logits, h, c
}

// LSTM reads the embedded characters of tokens [batch, seq] one position at
// a time and returns its hidden state after each [batch, seq, 128] and the
// last hidden and cell states [1, batch, 128]. At each step t, with x the
// embedded character and h, c the state so far:
//
//	i, f, g, o = sigmoid, sigmoid, tanh, sigmoid of x·Wx + h·Wh + b
//	c = f*c + i*g
//	h = o*tanh(c)
//
// The four gates come out of one matmul. x·Wx + b depends only on the
// character, so it is computed once for each of the vocab characters (one
// matmul before the loop) and looked up at every step.
func LSTM(scope *model.Scope, embeddings, tokens, h0, c0 *Node) (all, h, c *Node) {
	g := tokens.Graph()
	batch, seq := tokens.Shape().Dimensions[0], tokens.Shape().Dimensions[1]
	wx := scope.VariableWithShape("Wx", shapes.Make(dtypes.Float32, EmbedDim, 4*HiddenDim)).NodeValue(g)  // [256, 4*128]
	wh := scope.VariableWithShape("Wh", shapes.Make(dtypes.Float32, HiddenDim, 4*HiddenDim)).NodeValue(g) // [128, 4*128]
	b := scope.VariableWithValue("b", make([]float32, 4*HiddenDim)).NodeValue(g)                          // [4*128], zeros
	xw := Add(MatMul(embeddings, wx), InsertAxes(b, 0))                                                   // [vocab, 4*128]: x·Wx + b for every character

	zeros := Zeros(g, shapes.Make(dtypes.Float32, batch, HiddenDim)) // [batch, 128]
	h, c = zeros, zeros
	if h0 != nil {
		h, c = Reshape(h0, batch, HiddenDim), Reshape(c0, batch, HiddenDim)
	}
	hs := make([]*Node, seq)
	for t := range seq {
		ids := Slice(tokens, AxisRange(), AxisElem(t)) // [batch, 1]
		z := Add(Gather(xw, ids), MatMul(h, wh))       // [batch, 4*128]
		gates := Split(z, -1, 4)                       // 4 x [batch, 128]
		i, f := Sigmoid(gates[0]), Sigmoid(gates[1])   // input and forget gates
		cand, o := Tanh(gates[2]), Sigmoid(gates[3])   // candidate cell and output gate
		c = stored(Add(Mul(f, c), Mul(i, cand)))       // [batch, 128]
		h = Mul(o, Tanh(c))                            // [batch, 128]
		hs[t] = h
	}
	all = Stack(hs, 1) // [batch, seq, 128]
	return all, Reshape(h, 1, batch, HiddenDim), Reshape(c, 1, batch, HiddenDim)
}

// stored returns x unchanged, through a matmul with the identity matrix,
// so that XLA computes it once. XLA's CPU compiler copies chains of cheap
// element-wise operations (multiply, add) into every kernel that reads
// them; the cell state c = f*c + i*g is such a chain through all the steps
// (and so is its gradient), and each step would recompute it from the
// first: 5-6x slower at 32 steps, worse the longer the window. A matmul
// is never copied. It adds about 15% to the step's arithmetic, far less
// than the recomputation it prevents. (GoMLX's OptimizationBarrier would
// say this directly, but XLA's CPU compiler drops barriers before fusing.)
func stored(x *Node) *Node {
	n := x.Shape().Dimensions[x.Rank()-1]
	identity := ConvertDType(Diagonal(x.Graph(), n), x.DType()) // [n, n]
	return MatMul(x, identity)
}
