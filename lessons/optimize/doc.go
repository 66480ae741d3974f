// Package optimize is lesson 11: the tricks that make training cheaper
// without changing its result, and the hyperparameters worth tuning,
// measured on lesson 07's GPT (transformer.DecoderOnly on Shakespeare's
// characters, nanoGPT's AdamW), made small (SmallGPT) so that the lesson can
// afford a dozen runs.
//
//   - Gradient accumulation: GoMLX's Trainer.AccumulateGradients, with
//     pretrain.AdamW taking gradients (UpdateGraphWithGradients).
//     CheckAccumulation compares one batch of k·b sequences with k
//     micro-batches of b: gradients and weights after one update.
//   - Mixed precision (MixedPrecision, written here; GoMLX has the dtypes
//     but no such optimizer): the model in bf16 or fp16
//     (transformer.Config.DType), fp32 master weights updated by the AdamW,
//     dynamic loss scaling (NextLossScale). Config.LossFactor emulates the
//     gradient magnitudes of a much larger token batch;
//     GradientMagnitudes and Underflow show what fp16 flushes to zero.
//   - Gradient checkpointing: GoMLX's Node.Checkpoint and StopCheckpoint
//     around lesson 06's decoder blocks (transformer.Config.Checkpoint);
//     MeasureStep reads XLA's compiled memory statistics
//     (mlx.CompiledMemory) and times a forward + backward pass.
//   - Hyperparameters: the learning-rate range test (RangeTest), lesson 06's
//     warm-up + cosine schedule (transformer.Schedule), batch size against
//     learning rate (BatchSweep), weight decay (Config.WeightDecay on a
//     small slice of the text, Config.TrainChars).
//
// Train runs one configuration and returns its losses, speed and, for 16-bit
// runs, the loss scale and skipped updates.
//
// Measured on XLA's CPU plugin (2-core AMD EPYC Zen 4, idle; DefaultConfig,
// 400 steps of batch 16): fp32 45 steps/s, validation loss 2.306; bf16 with
// fp32 masters 26.6 steps/s, 2.305 (XLA's CPU backend has no bf16
// arithmetic and converts around every operation, so bf16 is slower here);
// at LossFactor 1/1024, fp16 without loss scaling 3.842 (stalled: 87% of the
// logits' gradients round to zero), with dynamic loss scaling from 65,536
// 2.311, fp32 2.311. XLA's temporary memory for one forward + backward pass
// of an 8-layer, 128-wide model on 16 × 64 tokens: 107 MiB without
// checkpoints, 23 MiB with (−78%), and the checkpointed pass is not slower
// on this CPU (5.2 vs 6.7 passes/s: its working set fits the caches).
package optimize
