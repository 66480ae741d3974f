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
//     (MagnitudeMask, Sparsity, SparseBytes); Prune applies it to each
//     weight tensor of lesson 03's network and Pruned.FineTune trains on
//     with the masks held (Masked). Measured on the MNIST network, each
//     tensor pruned alike, then 300 steps of batch 64 at 5e-4: 50% 98.06%
//     -> 98.95%, 80% 54.53% -> 98.07%, 90% 15.25% -> 95.42%, 95% 11.35% ->
//     50.31% (from 99.01%); the first convolution has only 288 weights, and
//     pruning it like the others costs the most.
//   - Low-rank factorization: the singular value decomposition by one-sided
//     Jacobi rotations (Decompose), and the factors of the best rank-r
//     approximation (SVD.Factors, SVD.Rank). Factorize replaces lesson 03's
//     Dense layers by their factors (LowRank, with Evaluate and FineTune).
//     Measured on the MNIST network at half the Dense weights (ranks 28 and
//     4: 37,504 -> 18,216): 99.01% -> 75.34%, 97.80% after 300 steps of
//     batch 64 at 5e-4.
//   - LoRA: a frozen W plus a trained low-rank change, unmerged
//     (LoRAForward) and merged (MergeLoRA).
package compress
