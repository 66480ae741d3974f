// Package attention is lesson 05: scaled dot-product attention, built one
// step at a time, then multi-head attention, then a tiny trained model whose
// attention weights the notebook draws as heatmaps.
//
// The steps, each a short graph function with its formula:
//
//	S = Q Kᵀ                 Scores          [batch, q, k]
//	S' = S / √d_k             Scale           (why: Variance shows it)
//	S'' = S' where mask else −∞ ApplyMask     (CausalMask, PaddingMask)
//	A = softmax(S'')          Softmax         each row sums to 1
//	O = A V                   WeightedSum     [batch, q, d_v]
//
// ScaledDotProductAttention chains them. HandAttention computes the same
// steps with plain Go loops in float64, so every number can be checked
// against a hand computation. MultiHead adds the learned projections and the
// head split/merge (SplitHeads, MergeHeads); it names its variables exactly
// as GoMLX's own layer (ml/layers/attention) does, so CompareWithGoMLX can run
// both on the same weights. TinyLM is an attention-only character model that
// trains in seconds on English and Korean text, for heatmaps of what a trained
// model attends to (AttentionMaps).
//
//	out, weights := attention.ScaledDotProductAttention(q, k, v, attention.CausalMask(g, seqLen))
//
// Deliberately left out: dropout on the weights, key/value caches,
// grouped-query attention and fused kernels (flash attention); GoMLX's layer
// has them. The full Transformer block (layer norm, MLP) is lesson 06.
package attention
