// Package efficient is lesson 13: how attention's n² cost in the sequence
// length is tamed, on lesson 05's attention (lessons/attention), each method
// measured the same way (Measure: time of one forward pass, and XLA's
// temporary memory from mlx.CompiledMemory).
//
//   - Full: lesson 05's attention; the n × n matrix of scores.
//   - SlidingWindow: causal attention to the window most recent tokens plus
//     a few global ones (Longformer; Mistral), computed in blocks so that
//     only n·(2·window + global) scores exist (Visible, WindowMask).
//   - LSH: Reformer's shared-query-key attention within hash buckets
//     (LSH.Hash, LSH.Attend, compared with SharedQK).
//   - Axial: attention along the rows, then the columns, of a grid
//     (AxialRows, AxialColumns, AxialField for the receptive field).
//   - Blockwise: exact attention one block of keys at a time with an
//     online softmax, the idea of FlashAttention, in an XLA loop so that
//     one block of scores lives at a time (OnlineAverage is the same in
//     plain Go, for one query).
//
// LongContext trains lesson 11's GPT on 512 characters of context with
// full or sliding-window attention (transformer.DecoderOnlyWith).
//
// Measured (XLA's CPU plugin, 2-core AMD EPYC Zen 4, one head of 64
// features, causal, 8,192 tokens): full 383 ms and 520 MiB (memory slope
// 2.00 against n); sliding window of 128 + 2 global 9 ms, 22 MiB (slope
// 1.00); blockwise with blocks of 256 218 ms, 21 MiB (slope 0.99, time
// slope 1.89, exact to 6e-7); axial on a 128 × 64 grid 11 ms, 10 MiB (slope
// 1.23); LSH with 4 rounds of 16 buckets and chunks of 64 36 ms, 50 MiB
// (slope 1.00). LSH's relative error on 1,024 clustered tokens falls from
// 0.275 (1 round) to 0.092, 0.060 and 0.050 (2, 4, 8 rounds). The
// 512-character GPT, 150 steps of batch 4: full attention 7.3 steps/s,
// validation loss 2.532; sliding window of 64 15.6 steps/s, 2.519.
//
// Two XLA facts shaped Blockwise: written as one graph node per block, XLA
// computes every block's scores at once (they do not depend on each other)
// and its memory is n² again, even with optimization barriers between the
// blocks; in a While loop go-xla cannot build reductions or sorts, so the
// row maximum is taken by halving (rowMax) and the row sum as a product with
// ones.
package efficient
