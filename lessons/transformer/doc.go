// Package transformer is lesson 06: the Transformer, built top-down from the
// attention of lesson 05 (lessons/attention), in the order nanoGPT's
// model.py reads: Config, the blocks, the models.
//
//	Config                 widths, depths, vocabularies; Params and FLOPs computed from it
//	Embed                  token embedding + learned position embedding
//	MLP                    Dense(4d) -> GELU -> Dense(d), applied to every position alone
//	EncoderBlock           x += SelfAttention(LN(x)); x += MLP(LN(x))
//	DecoderBlock           x += CausalSelfAttention(LN(x)); x += CrossAttention(LN(x), memory); x += MLP(LN(x))
//	Encoder, Decoder       embeddings, a stack of blocks, a final layer norm (+ logits)
//	EncoderDecoder         the original Transformer (translation); DecoderOnly: GPT; Encoder alone: BERT
//
// Layer norm sits before each sub-layer ("pre-LN", as in GPT-2 and nanoGPT);
// Config.PostLN switches to the original paper's placement after the
// residual addition, for comparison. The residual connections (x + f(x))
// give the gradient a straight path through the whole depth.
//
// The lesson trains an encoder-decoder to rewrite dates written in many ways
// ("March 5, 2021", "2021년 3월 5일", "05.03.2021") into ISO form
// ("2021-03-05"), a task a learner can judge by eye, decodes greedily with
// a host-side loop, and draws the cross-attention. It then measures what
// width and depth cost: parameters and FLOPs per token from the Config, and
// the time of a training step.
//
// Deliberately left out: dropout, sinusoidal and rotary positions, beam
// search, key/value caches and weight sharing between encoder and decoder
// embeddings.
package transformer
