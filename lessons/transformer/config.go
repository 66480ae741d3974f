package transformer

// Config is the shape of a Transformer. The encoder-decoder uses everything;
// DecoderOnly ignores SrcVocab and EncoderLayers.
type Config struct {
	SrcVocab, TgtVocab           int     // vocabulary sizes (source for the encoder, target for the decoder)
	Dim                          int     // model width d (embedding size)
	Heads                        int     // attention heads; Dim must be a multiple
	EncoderLayers, DecoderLayers int     // blocks in each stack
	MLPRatio                     int     // the MLP's hidden width is MLPRatio*Dim (4 in the paper)
	MaxLen                       int     // longest sequence (learned position embeddings)
	PostLN                       bool    // layer norm after the residual addition (2017 paper) instead of before
	InitStd                      float64 // if > 0, weights start ~ N(0, InitStd²) (GPT-2: 0.02); else GoMLX's default
	TieEmbeddings                bool    // the decoder's output layer reuses the token embedding table (GPT-2)
	LayerNormEpsilon             float64 // 0 means 1e-5 (PyTorch's default)
}

// SmallSeq2Seq is the encoder-decoder of the date lesson: 2+2 layers,
// 64 wide, 4 heads.
func SmallSeq2Seq(vocab, maxLen int) Config {
	return Config{SrcVocab: vocab, TgtVocab: vocab, Dim: 64, Heads: 4, EncoderLayers: 2, DecoderLayers: 2,
		MLPRatio: 4, MaxLen: maxLen}
}

// Params counts the trainable parameters a DecoderOnly model of this Config
// has (encoder-decoder: EncoderDecoderParams): embeddings, and per block the
// four d×d attention projections, the MLP's two matrices, their biases and
// two layer norms.
func (c Config) Params() int {
	d, h := c.Dim, c.MLPRatio*c.Dim
	block := 4*(d*d+d) + (d*h + h) + (h*d + d) + 2*2*d // attention, MLP, 2 layer norms
	p := c.TgtVocab*d + c.MaxLen*d + c.DecoderLayers*block + 2*d
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
	d, h := c.Dim, c.MLPRatio*c.Dim
	attention, mlp, ln := 4*(d*d+d), d*h+h+h*d+d, 2*d
	enc := c.SrcVocab*d + c.MaxLen*d + c.EncoderLayers*(attention+mlp+2*ln) + ln
	dec := c.TgtVocab*d + c.MaxLen*d + c.DecoderLayers*(2*attention+mlp+3*ln) + ln + d*c.TgtVocab + c.TgtVocab
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

func (c Config) epsilon() float64 {
	if c.LayerNormEpsilon > 0 {
		return c.LayerNormEpsilon
	}
	return 1e-5
}
