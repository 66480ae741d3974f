package rnn

import (
	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/lstm"
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
	// [batch, seq, 1]: the explicit index axis (a [1, 1] input would
	// otherwise be read as one index, not one sequence of one character).
	x := layers.Embedding(scope.In("embedding"), InsertAxes(tokens, -1), dtypes.Float32, vocab, EmbedDim) // [batch, seq, 256]
	cell := lstm.New(scope.In("lstm"), x, HiddenDim)
	if h0 != nil {
		cell = cell.InitialStates(h0, c0)
	}
	all, h, c := cell.Done() // all: [seq, 1 direction, batch, 128]
	all = Reshape(all, seq, batch, HiddenDim)
	all = TransposeAllAxes(all, 1, 0, 2)                        // [batch, seq, 128]
	logits = layers.Dense(scope.In("output"), all, true, vocab) // [batch, seq, vocab]
	logits.AssertDims(batch, seq, vocab)
	return logits, h, c
}
