package pretrain

import (
	"github.com/baeum-go/baeum/lessons/attention"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
)

// Encode is BERT's body, shared by pretraining and fine-tuning (lesson 08):
// token + position embeddings (transformer.Embed) plus a segment embedding
// (0 for the first sentence, 1 for the second), then the Transformer
// encoder (transformer.EncoderStack), under the scope "encoder". tokens and
// segments are [batch, seq] int32 ([PAD] = 0 is masked out); it returns
// the contextual vectors [batch, seq, Dim].
func Encode(scope *model.Scope, tokens, segments *graph.Node, c transformer.Config) *graph.Node {
	scope = transformer.InitScope(scope.In("encoder"), c)
	valid := graph.NotEqual(tokens, graph.Scalar(tokens.Graph(), dtypes.Int32, padID))
	mask := attention.PaddingMask(valid)                    // [batch, 1, seq]
	x, _ := transformer.Embed(scope, tokens, c.SrcVocab, c) // [batch, seq, Dim]
	x = graph.Add(x, layers.Embedding(scope.In("segment"), segments, dtypes.Float32, 2, c.Dim))
	h, _ := transformer.EncoderStack(scope, x, mask, c)
	return h
}

// bertHeads are the two pretraining heads on top of Encode.
//
// Masked LM: the vectors at the masked positions go through a dense layer
// to the vocabulary: logits [batch, predictions, vocab]. (BERT adds a
// Dense-GELU-LayerNorm transform and ties the output layer to the input
// embeddings; in this lesson's two-minute budget the plain untied layer
// learned several times faster, measured, so the lesson uses it.)
//
// Next sentence: the vector of [CLS] goes through BERT's "pooler"
// (Dense -> tanh) and a 2-way classifier: logits [batch, 2] (1 = is next).
func bertHeads(scope *model.Scope, h, positions *graph.Node, c transformer.Config) (mlm, nsp *graph.Node) {
	batch, seq := h.Shape().Dim(0), h.Shape().Dim(1)
	preds := positions.Shape().Dim(1)
	pick := graph.OneHot(positions, seq, h.DType()) // [batch, preds, seq]
	picked := graph.Einsum("bps,bsd->bpd", pick, h) // [batch, preds, Dim]
	mlm = layers.Dense(scope.In("mlm"), picked, true, c.SrcVocab)
	mlm.AssertDims(batch, preds, c.SrcVocab)

	cls := graph.Reshape(graph.Slice(h, graph.AxisRange(), graph.AxisRange(0, 1)), batch, c.Dim) // [batch, Dim]
	pooled := graph.Tanh(layers.Dense(scope.In("pooler"), cls, true, c.Dim))
	nsp = layers.Dense(scope.In("nsp"), pooled, true, 2) // [batch, 2]
	return mlm, nsp
}
