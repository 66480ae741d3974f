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
// 300 steps of batch 16): fp32 42 steps/s, validation loss 2.377; bf16 with
// fp32 masters 25 steps/s, 2.377 (XLA's CPU backend has no bf16 arithmetic
// and converts around every operation, so bf16 is slower here); at
// LossFactor 1/1024 (88% of the logits' gradients round to zero in fp16)
// fp32 2.383, fp16 without loss scaling 3.692 (27% of fp32's progress from
// ln 65), fp16 with dynamic loss scaling from 65,536 2.383. XLA's temporary
// memory for one forward + backward pass: SmallGPT on 64 sequences 66 MiB,
// on 16 sequences 17 MiB; an 8-layer, 128-wide model on 16 sequences
// 107 MiB without checkpoints, 23 MiB with (−78%), at about the same speed
// on this CPU (its smaller working set fits the caches). The pure-Go backend
// runs it all except fp16 (no fp16 scatter-add) and the memory figures:
// fp32 4.8 steps/s, bf16 3.1.
package optimize
