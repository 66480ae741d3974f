// Package compress holds the building blocks of lesson 14, making a trained
// model smaller:
//
//   - Quantization: symmetric int8, per tensor or per output channel
//     (QuantizeInt8, Int8.Dequantize), and GGML's block formats Q8_0 and
//     Q4_0 (PackQ8_0, PackQ4_0, Unpack), byte for byte the layout that
//     llama.cpp writes and GoMLX's ml/ggml reads (the tests check the bytes
//     through GoMLX's own dequantizer). QuantizeNet applies a scheme to
//     lesson 03's network. Measured on its MNIST network (10,000 test
//     digits): float32 373,288 bytes, 99.01%; int8 per tensor 94,044 bytes,
//     99.03%; int8 per channel 94,960, 99.01%; Q8_0 100,688, 99.02%; Q4_0
//     54,288, 99.03% (the first convolution, 9 inputs per output, stays
//     float32 in the GGML schemes). Fashion-MNIST: 90.08%, 90.14%, 90.12%,
//     90.05%, 89.97%.
//   - Knowledge distillation: Hinton et al.'s loss (DistillationLoss), and
//     TrainStudent, which trains StudentModel (30,762 weights against the
//     teacher's 93,322) from the labels alone or from lesson 03's network.
//     Measured on MNIST, 600 steps of 64, one seed: labels alone 97.85%,
//     distilled (T = 4, alpha = 0.7) 98.33%; teacher 99.01%.
//   - Magnitude pruning: a mask that drops the smallest weights
//     (MagnitudeMask, Sparsity, SparseBytes); Prune applies it to lesson
//     03's network, each tensor alike or with one global threshold, and
//     Pruned.FineTune trains on with the masks held (Masked). Measured on
//     the MNIST network (99.01%), global threshold, then 300 steps of batch
//     64 at 1e-3: 50% 99.01% -> 98.82%, 80% 94.46% -> 98.90%, 90% 60.76% ->
//     98.51%, 95% 45.19% -> 97.23%; the global threshold spares the small
//     first convolution (it keeps 55% of its weights at 90%). Each tensor
//     pruned alike at 90%: 15.25% -> 96.69%.
//   - Low-rank factorization: the singular value decomposition by one-sided
//     Jacobi rotations (Decompose), and the factors of the best rank-r
//     approximation (SVD.Factors, SVD.Rank). Factorize replaces lesson 03's
//     Dense layers by their factors (LowRank, with Evaluate and FineTune).
//     Measured on the MNIST network at half the Dense weights (ranks 28 and
//     4: 37,504 -> 18,216): 99.01% -> 75.34%, then 98.18% after 300 steps of
//     batch 64 at 1e-3 (97.80% at 5e-4). Keeping the 10-class layer whole
//     (rank 10) gives 98.86% before fine-tuning, 98.56% after.
//   - LoRA: a frozen W plus a trained low-rank change, unmerged
//     (LoRAForward) and merged (MergeLoRA). Adapters puts them on chosen
//     Dense weights of any GoMLX model function without changing its code
//     (Adapters.Wrap: while the graph is built, W reads as W + (α/r)·A·B,
//     and its own value is put back so that training never writes it) and
//     folds them in afterwards (Adapters.Merge). Tune fine-tunes lesson 07's
//     GPT on a text it never read (LoadNewText: the English Debian FAQ in
//     Shakespeare's characters), with adapters (LoRAConfig) or every weight
//     (FullConfig). Measured (300 steps of 12 × 64 characters): LoRA, rank
//     3 on queries and values, 6,144 of 809,921 weights (0.76%), FAQ
//     validation loss 2.61 -> 2.05, Shakespeare's 1.81 -> 2.23, 10 s; full
//     fine-tuning 2.61 -> 1.61, Shakespeare's 1.81 -> 2.49, 17 s; merged
//     logits within 1e-5 of the unmerged ones.
//
// Speed (MatmulSpeed, BenchmarkQuantizedMatmul): one token times a 2,048 ×
// 2,048 matrix through GoMLX's nn.QuantizedDense. XLA on CPU has no fused
// kernel, so GoMLX dequantizes the whole matrix first: float32 0.5 ms, Q8_0
// 1.9 ms, Q4_0 3.8 ms. The pure-Go backend's fused kernel reads the blocks
// directly: float32 3.1 ms, Q8_0 4.2 ms, Q4_0 4.3 ms. On these CPUs
// quantization saves memory, not time.
//
// QuantizeNet, Prune and Factorize evaluate with float32 weights holding
// the quantized, pruned or factorized values: the numbers a quantized
// kernel computes with, on every backend.
package compress
