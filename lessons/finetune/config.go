package finetune

import (
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
)

// schedule warms up over the first tenth of the steps, then decays to a
// tenth of the peak.
func schedule(lr float64, steps int) transformer.Schedule {
	return transformer.Schedule{LearningRate: lr, MinLR: lr / 10, Warmup: steps / 10, Steps: steps}
}

// quick returns q in a quick run (mlx.Quick), else full.
func quick(full, q int) int {
	if mlx.Quick() {
		return q
	}
	return full
}

// DefaultSentimentConfig is the notebook's sentiment run: 48 tokens per
// review (87% of the training reviews fit whole), batch 64, 500 steps (0.8
// of an epoch of the 40,000 reviews), peak learning rate 1e-3, the rate
// lesson 07 pretrained with. Measured on 2 cores, about 30 s per run; the
// pretrained start's test accuracy was 80.3-80.7% for peak rates from 1e-3
// to 3e-3, for 64 tokens instead of 48, and for batches of 128; longer runs
// (700-800 steps) did not do better. This one-layer model levels off near
// 80.5%.
func DefaultSentimentConfig() Config {
	steps := quick(500, 60)
	return Config{Classes: SentimentClasses, MaxLen: 48, Batch: 64, Steps: steps, Schedule: schedule(1e-3, steps), WeightDecay: 0.01, Seed: 1}
}

// DefaultNLIConfig is the notebook's entailment run: premise and hypothesis in 64
// tokens (half the pairs fit whole; the longer part is cut), 300 steps of
// 64 pairs (about 4 epochs of the 5,010 training pairs).
func DefaultNLIConfig() Config {
	steps := quick(300, 40)
	return Config{Classes: NLIClasses, MaxLen: 64, Batch: 64, Steps: steps, Schedule: schedule(1e-3, steps), WeightDecay: 0.01, Seed: 1}
}

// DefaultQAConfig is the notebook's question-answering run: windows of 96
// tokens (question at most 24), 48 tokens apart, answers at most 24
// tokens, 150 steps of 32 windows (3.5 epochs of the training questions'
// 1,385 windows). Measured: at 250 steps the pretrained reader gets 84% of
// the training questions exactly right but fewer test questions than at
// 150.
func DefaultQAConfig() QAConfig {
	steps := quick(150, 30)
	return QAConfig{SeqLen: 96, MaxQuestion: 24, Stride: 48, MaxAnswer: 24, Batch: 32, Steps: steps,
		Schedule: schedule(1e-3, steps), WeightDecay: 0.01, Seed: 1}
}

// DefaultBagConfig is the notebook's baseline: the 20,000 most frequent words,
// 300 steps of 256 reviews, Adam at 3e-3.
func DefaultBagConfig() BagConfig {
	return BagConfig{VocabSize: 20000, Batch: 256, Steps: quick(300, 50), LearningRate: 3e-3, Seed: 1}
}
