package transformer

import (
	"github.com/baeum-go/baeum/lessons/attention"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/layers/norm"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/support/exceptions"
)

// Embed looks up each token's vector and adds the vector of its position,
// so that attention (which by itself ignores order) can tell "dog bites
// man" from "man bites dog". tokens is [batch, seq] int32; the result is
// [batch, seq, Dim]. It also returns the token table, [vocab, Dim], for a
// tied output layer.
func Embed(scope *model.Scope, tokens *graph.Node, vocab int, c Config) (x *graph.Node, table *model.Variable) {
	batch, seq := tokens.Shape().Dim(0), tokens.Shape().Dim(1)
	if seq > c.MaxLen {
		exceptions.Panicf("transformer.Embed: sequence of %d tokens, but MaxLen is %d", seq, c.MaxLen)
	}
	tokenScope := scope.In("token")
	x = layers.Embedding(tokenScope, tokens, c.dtype(), vocab, c.Dim) // [batch, seq, Dim]
	table = tokenScope.GetVariable("embeddings")
	positions := scope.In("position").VariableWithShape("embeddings", shapes.Make(c.dtype(), c.MaxLen, c.Dim))
	pos := graph.Slice(positions.NodeValue(tokens.Graph()), graph.AxisRange(0, seq)) // [seq, Dim]
	x = graph.Add(x, graph.InsertAxes(pos, 0))                                       // [batch, seq, Dim]
	x.AssertDims(batch, seq, c.Dim)
	return x, table
}

// MLP is the position-wise feed-forward network: every position goes alone
// through Dense(MLPRatio·Dim) -> GELU -> Dense(Dim). Attention mixes
// positions; the MLP transforms each one (most of the parameters live here).
func MLP(scope *model.Scope, x *graph.Node, c Config) *graph.Node {
	h := layers.Dense(scope.In("fc"), x, true, c.MLPRatio*c.Dim) // [batch, seq, 4·Dim]
	h = activation.Gelu(h)
	return layers.Dense(scope.In("proj"), h, true, c.Dim) // [batch, seq, Dim]
}

// layerNorm normalizes each position's features to mean 0, variance 1, then
// applies a learned gain and offset (GoMLX's layer).
func layerNorm(scope *model.Scope, x *graph.Node, c Config) *graph.Node {
	return norm.LayerNorm(scope, x, -1).Epsilon(c.epsilon()).Done()
}

// residual adds a sub-layer f around x, with the layer norm before f
// (pre-LN: x + f(LN(x))) or after the sum (post-LN: LN(x + f(x))).
func residual(scope *model.Scope, x *graph.Node, c Config, f func(scope *model.Scope, h *graph.Node) *graph.Node) *graph.Node {
	if c.PostLN {
		return layerNorm(scope.In("ln"), graph.Add(x, f(scope, x)), c)
	}
	return graph.Add(x, f(scope, layerNorm(scope.In("ln"), x, c)))
}

// EncoderBlock is one encoder layer: self-attention over the whole
// sequence (every position sees every non-padding position), then the MLP,
// each wrapped in a residual connection. x is [batch, seq, Dim]; mask is
// [batch, 1, seq] (padding) or nil. It returns x and the attention weights
// [batch, heads, seq, seq].
func EncoderBlock(scope *model.Scope, x, mask *graph.Node, c Config) (*graph.Node, *graph.Node) {
	var weights *graph.Node
	x = residual(scope.In("attention"), x, c, func(s *model.Scope, h *graph.Node) *graph.Node {
		out, w := attention.MultiHead(s, h, h, c.Heads, mask)
		weights = w
		return out
	})
	x = residual(scope.In("mlp"), x, c, func(s *model.Scope, h *graph.Node) *graph.Node { return MLP(s, h, c) })
	return x, weights // [batch, seq, Dim], [batch, heads, seq, seq]
}

// DecoderBlock is one decoder layer: causal self-attention (a position sees
// itself and the past), then cross-attention in which the decoder's
// positions query the encoder's output (memory), then the MLP. With memory
// nil there is no cross-attention: that is a GPT block. x is
// [batch, tgtSeq, Dim], memory [batch, srcSeq, Dim]; selfMask is
// [tgtSeq, tgtSeq] or [batch, tgtSeq, tgtSeq]; crossMask is
// [batch, 1, srcSeq] or nil. It returns x and the cross-attention weights
// [batch, heads, tgtSeq, srcSeq] (nil without memory).
func DecoderBlock(scope *model.Scope, x, memory, selfMask, crossMask *graph.Node, c Config) (*graph.Node, *graph.Node) {
	return decoderBlock(scope, x, memory, selfMask, crossMask, c, nil)
}

// decoderBlock is DecoderBlock; a non-nil attend replaces the masked
// self-attention (DecoderOnlyWith).
func decoderBlock(scope *model.Scope, x, memory, selfMask, crossMask *graph.Node, c Config, attend attention.Attend) (*graph.Node, *graph.Node) {
	x = residual(scope.In("self_attention"), x, c, func(s *model.Scope, h *graph.Node) *graph.Node {
		if attend != nil {
			return attention.MultiHeadWith(s, h, h, c.Heads, attend)
		}
		out, _ := attention.MultiHead(s, h, h, c.Heads, selfMask)
		return out
	})
	var cross *graph.Node
	if memory != nil {
		x = residual(scope.In("cross_attention"), x, c, func(s *model.Scope, h *graph.Node) *graph.Node {
			out, w := attention.MultiHead(s, h, memory, c.Heads, crossMask) // queries from x, keys and values from memory
			cross = w
			return out
		})
	}
	x = residual(scope.In("mlp"), x, c, func(s *model.Scope, h *graph.Node) *graph.Node { return MLP(s, h, c) })
	return x, cross
}

// InitScope applies Config.InitStd to the variables created under scope, as
// GPT-2 initializes them: matrices ~ N(0, InitStd²), vectors (biases) at
// zero; layer norms keep their own (gain 1, offset 0). (GPT-2 also shrinks
// the projections that end each residual branch by 1/√(2·layers); on the
// lesson-07 run that made the validation loss slightly worse, so it is left
// out.)
func InitScope(scope *model.Scope, c Config) *model.Scope {
	if c.InitStd <= 0 {
		return scope
	}
	return scope.WithInitializer(func(g *graph.Graph, shape shapes.Shape) *graph.Node {
		if shape.Rank() <= 1 || !shape.DType.IsFloat() {
			return graph.Zeros(g, shape)
		}
		return graph.MulScalar(scope.RandomNormal(g, shape), c.InitStd)
	})
}

// Encoder reads src [batch, srcSeq] (padding id pad) and returns its
// contextual vectors, the memory [batch, srcSeq, Dim], with the padding
// mask [batch, 1, srcSeq] that the decoder's cross-attention reuses, and
// each block's attention weights.
func Encoder(scope *model.Scope, src *graph.Node, pad int32, c Config) (memory, mask *graph.Node, weights []*graph.Node) {
	scope = InitScope(scope.In("encoder"), c)
	mask = attention.PaddingMask(graph.NotEqual(src, graph.Scalar(src.Graph(), dtypes.Int32, pad))) // [batch, 1, srcSeq]
	x, _ := Embed(scope, src, c.SrcVocab, c)
	memory, weights = EncoderStack(scope, x, mask, c)
	return memory, mask, weights
}

// EncoderStack is the encoder after its embeddings: EncoderLayers blocks,
// then the final layer norm. BERT (lesson 07) calls it after adding its
// segment embeddings to x [batch, seq, Dim].
func EncoderStack(scope *model.Scope, x, mask *graph.Node, c Config) (memory *graph.Node, weights []*graph.Node) {
	for l := range c.EncoderLayers {
		var w *graph.Node
		x, w = EncoderBlock(scope.In("block_%d", l), x, mask, c)
		weights = append(weights, w)
	}
	if !c.PostLN {
		x = layerNorm(scope.In("final_ln"), x, c) // pre-LN leaves the last residual sum unnormalized
	}
	return x, weights
}

// Decoder reads the target so far, tgt [batch, tgtSeq], attends to memory
// (nil for a decoder-only model) and returns the logits of the next token at
// every position, [batch, tgtSeq, TgtVocab], and each block's
// cross-attention weights.
func Decoder(scope *model.Scope, tgt, memory, crossMask *graph.Node, c Config) (out *graph.Node, cross []*graph.Node) {
	return decoder(scope, tgt, memory, crossMask, c, nil)
}

// decoder is Decoder; a non-nil attend replaces every block's masked
// self-attention (DecoderOnlyWith).
func decoder(scope *model.Scope, tgt, memory, crossMask *graph.Node, c Config, attend attention.Attend) (out *graph.Node, cross []*graph.Node) {
	scope = InitScope(scope.In("decoder"), c)
	x, table := Embed(scope, tgt, c.TgtVocab, c)
	causal := attention.CausalMask(tgt.Graph(), tgt.Shape().Dim(1)) // [tgtSeq, tgtSeq]
	for l := range c.DecoderLayers {
		if c.Checkpoint {
			x = x.Checkpoint() // keep only the block's input; the backward pass recomputes the rest
		}
		var w *graph.Node
		x, w = decoderBlock(scope.In("block_%d", l), x, memory, causal, crossMask, c, attend)
		cross = append(cross, w)
	}
	if c.Checkpoint {
		x = x.StopCheckpoint()
	}
	if !c.PostLN {
		x = layerNorm(scope.In("final_ln"), x, c)
	}
	return outputLayer(scope.In("logits"), x, table, c), cross
}

// outputLayer projects [batch, seq, Dim] to the vocabulary, with its own weights
// or with the token embedding table (TieEmbeddings: logits_v = x·E_v).
func outputLayer(scope *model.Scope, x *graph.Node, table *model.Variable, c Config) *graph.Node {
	if !c.TieEmbeddings {
		return layers.Dense(scope, x, true, c.TgtVocab)
	}
	e := table.NodeValue(x.Graph()) // [vocab, Dim]
	bias := scope.VariableWithShape("biases", shapes.Make(c.dtype(), c.TgtVocab)).NodeValue(x.Graph())
	out := graph.Einsum("bsd,vd->bsv", x, e)
	return graph.Add(out, graph.Reshape(bias, 1, 1, c.TgtVocab))
}

// EncoderDecoder is the original Transformer: the encoder reads src, the
// decoder writes the target one token at a time, attending to the encoder's
// output. src is [batch, srcSeq], tgtIn [batch, tgtSeq] (the target shifted
// right, starting with a begin token); the result is the logits
// [batch, tgtSeq, TgtVocab] and every decoder block's cross-attention
// weights [batch, heads, tgtSeq, srcSeq].
func EncoderDecoder(scope *model.Scope, src, tgtIn *graph.Node, pad int32, c Config) (logits *graph.Node, cross []*graph.Node) {
	memory, mask, _ := Encoder(scope, src, pad, c)
	return Decoder(scope, tgtIn, memory, mask, c)
}

// DecoderOnly is GPT: a decoder without an encoder, predicting the next
// token of tokens [batch, seq]; it returns logits [batch, seq, TgtVocab].
func DecoderOnly(scope *model.Scope, tokens *graph.Node, c Config) *graph.Node {
	logits, _ := decoder(scope, tokens, nil, nil, c, nil)
	return logits
}

// DecoderOnlyWith is DecoderOnly with its self-attention supplied: attend
// gets each head's queries, keys and values and must itself be causal.
// Lesson 13 trains the same GPT with cheaper attentions; the variables are
// the same as DecoderOnly's.
func DecoderOnlyWith(scope *model.Scope, tokens *graph.Node, c Config, attend attention.Attend) *graph.Node {
	logits, _ := decoder(scope, tokens, nil, nil, c, attend)
	return logits
}
