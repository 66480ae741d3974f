package transformer

import "github.com/gomlx/compute/dtypes"

// Config is the shape of a Transformer. The encoder-decoder uses everything;
// DecoderOnly ignores SrcVocab and EncoderLayers.
type Config struct {
	SrcVocab, TgtVocab           int          // vocabulary sizes (source for the encoder, target for the decoder)
	Dim                          int          // model width d (embedding size)
	Heads                        int          // attention heads; Dim must be a multiple
	EncoderLayers, DecoderLayers int          // blocks in each stack
	MLPRatio                     int          // the MLP's hidden width is MLPRatio*Dim (4 in the paper)
	MaxLen                       int          // longest sequence (learned position embeddings)
	PostLN                       bool         // layer norm after the residual addition (2017 paper) instead of before
	InitStd                      float64      // if > 0, weights start ~ N(0, InitStd²) (GPT-2: 0.02); else GoMLX's default
	TieEmbeddings                bool         // the decoder's output layer reuses the token embedding table (GPT-2)
	LayerNormEpsilon             float64      // 0 means 1e-5 (PyTorch's default)
	DType                        dtypes.DType // the weights' and activations' dtype; 0 means Float32 (lesson 11 trains in BFloat16 and Float16)
	Checkpoint                   bool         // recompute each decoder block's activations in the backward pass instead of storing them (lesson 11)
}

// SmallSeq2Seq is the encoder-decoder of the date lesson: 2+2 layers,
// 64 wide, 4 heads.
func SmallSeq2Seq(vocab, maxLen int) Config {
	return Config{SrcVocab: vocab, TgtVocab: vocab, Dim: 64, Heads: 4, EncoderLayers: 2, DecoderLayers: 2,
		MLPRatio: 4, MaxLen: maxLen}
}

// BlockParams counts the trainable parameters of one block of width
// d = Dim, with h = MLPRatio·Dim:
//
//	attention  4·(d·d + d)        W_Q, W_K, W_V, W_O and their biases
//	MLP        d·h + h + h·d + d  two matrices and their biases
//	layer norm 2·d each           a gain and an offset per feature
//
// An EncoderBlock (and a GPT block: cross false) has one attention and two
// layer norms; a DecoderBlock with cross-attention (cross true) has a second
// attention and a third layer norm.
//
//	Dim 768, MLPRatio 4 (GPT-2 small): 2,362,368 + 4,722,432 + 3,072 = 7,087,872
func (c Config) BlockParams(cross bool) int {
	d, h := c.Dim, c.MLPRatio*c.Dim
	attention, mlp, ln := 4*(d*d+d), d*h+h+h*d+d, 2*d
	if cross {
		return 2*attention + mlp + 3*ln
	}
	return attention + mlp + 2*ln
}

// Params counts the trainable parameters a DecoderOnly model of this Config
// has (encoder-decoder: EncoderDecoderParams): token and position
// embeddings, the blocks, the final layer norm and the output layer.
func (c Config) Params() int {
	d := c.Dim
	p := c.TgtVocab*d + c.MaxLen*d + c.DecoderLayers*c.BlockParams(false) + 2*d
	if !c.TieEmbeddings {
		p += d * c.TgtVocab
	}
	return p + c.TgtVocab // output bias
}

// EncoderDecoderParams counts the parameters of EncoderDecoder: two
// embedding tables, encoder blocks, decoder blocks (each with a second,
// cross, attention and a third layer norm), two final layer norms and the
// output layer.
func (c Config) EncoderDecoderParams() int {
	d := c.Dim
	enc := c.SrcVocab*d + c.MaxLen*d + c.EncoderLayers*c.BlockParams(false) + 2*d
	dec := c.TgtVocab*d + c.MaxLen*d + c.DecoderLayers*c.BlockParams(true) + 2*d + d*c.TgtVocab + c.TgtVocab
	return enc + dec
}

// TrainFLOPsPerToken estimates the floating-point operations one training
// step spends per token of a DecoderOnly model with seqLen-long sequences:
// a forward pass costs 2 FLOPs per weight (one multiply, one add), plus the
// attention itself, 2·seqLen·d for the scores and 2·seqLen·d for the weighted
// sum in every layer; the backward pass costs about twice the forward
// (Kaplan et al. 2020, "Scaling Laws for Neural Language Models", table 1).
func (c Config) TrainFLOPsPerToken(seqLen int) float64 {
	d, h := float64(c.Dim), float64(c.MLPRatio*c.Dim)
	perLayer := 2*(4*d*d) + 2*(2*d*h) + 4*float64(seqLen)*d
	forward := float64(c.DecoderLayers)*perLayer + 2*d*float64(c.TgtVocab)
	return 3 * forward
}

func (c Config) dtype() dtypes.DType {
	if c.DType == dtypes.InvalidDType {
		return dtypes.Float32
	}
	return c.DType
}

func (c Config) epsilon() float64 {
	if c.LayerNormEpsilon > 0 {
		return c.LayerNormEpsilon
	}
	return 1e-5
}
