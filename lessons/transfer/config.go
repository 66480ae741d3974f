package transfer

import (
	"fmt"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx"
)

// Lesson is the name the notebook records its numbers under.
const Lesson = "10-transfer"

// Config is the whole experiment.
type Config struct {
	Base           string  // lesson 03 network whose base is reused: "mnist"
	Target         string  // the other data set, for the new head: "fashion-mnist"
	Examples       int     // labelled target images to learn from
	BatchSize      int     // images per step (Keras' default, 32)
	Epochs         int     // passes over the examples, from scratch and frozen alike
	CompareEpoch   int     // the short budget at which the two are compared
	LearningRate   float64 // Adam, for both (Keras' default, 0.001)
	FineTuneEpochs int     // further passes with the whole network trainable
	FineTuneLR     float64 // small, so the pretrained base moves only a little
	Seed           int64   // sample, initial weights and batch order
	Sizes          []int   // labelled examples at each point of the data-size curve
	SizeEpochs     int     // epochs of each method at each size
}

// DefaultConfig is the notebook's run: lesson 03's MNIST base, 1,000
// Fashion-MNIST images, 10 epochs each way and 5 of fine-tuning (about 2
// minutes on 2 cores), then the data-size curve at 100 to 10,000 images,
// 2 epochs each; mlx.Quick() shortens it to 3 epochs and 1, and sizes 100
// and 1,000.
func DefaultConfig() Config {
	c := Config{Base: "mnist", Target: "fashion-mnist", Examples: 1000, BatchSize: 32, Epochs: 10,
		CompareEpoch: 1, LearningRate: 1e-3, FineTuneEpochs: 5, FineTuneLR: 1e-4, Seed: 1,
		Sizes: []int{100, 300, 1000, 3000, 10000}, SizeEpochs: 2}
	if mlx.Quick() {
		c.Epochs, c.FineTuneEpochs, c.Sizes = 3, 1, []int{100, 1000}
	}
	return c
}

// StepsPerEpoch is one pass over the examples (the last incomplete batch is
// dropped: 1,000 / 32 = 31 steps).
func (c Config) StepsPerEpoch() int { return c.Examples / c.BatchSize }

// Stage is the training of one run: epochs passes at the learning rate lr,
// with a test accuracy point after every epoch.
func (c Config) Stage(epochs int, lr float64) Stage {
	spe := c.StepsPerEpoch()
	return Stage{Steps: epochs * spe, BatchSize: c.BatchSize, LearningRate: lr, EvalEvery: spe, Seed: c.Seed}
}

// TargetData returns the labelled examples (a fixed random sample of the
// target's training set) and the target's full test set.
func (c Config) TargetData() (examples, test *cnn.Data, err error) {
	train, err := cnn.LoadData(c.Target, "train", 0)
	if err != nil {
		return nil, nil, err
	}
	if test, err = cnn.LoadData(c.Target, "test", 0); err != nil {
		return nil, nil, err
	}
	if c.Examples < c.BatchSize {
		return nil, nil, fmt.Errorf("transfer: %d examples are fewer than one batch of %d", c.Examples, c.BatchSize)
	}
	return train.Sample(c.Examples, c.Seed), test, nil
}

// Remember records every point of a curve as this run's result
// ("frozen@31" = accuracy after 31 steps), so that a later notebook cell (a
// new process) can draw and check it.
func Remember(c *Curve) error {
	for i, step := range c.Steps {
		if err := mlx.Record(Lesson, fmt.Sprintf("%s@%d", c.Name, int(step)), c.Accuracy[i]); err != nil {
			return err
		}
	}
	return nil
}

// Recall reads back the curve of run name, with a point every epoch from
// epoch `from` to epoch `to` (panics, failing the cell, if it was not
// recorded: run the cells above first).
func (c Config) Recall(name string, from, to int) *Curve {
	curve := &Curve{Name: name}
	for e := from; e <= to; e++ {
		step := e * c.StepsPerEpoch()
		curve.Steps = append(curve.Steps, float64(step))
		curve.Accuracy = append(curve.Accuracy, mlx.Result(Lesson, fmt.Sprintf("%s@%d", name, step)))
	}
	return curve
}

// AtEpoch is the curve's accuracy after the given epoch (a point Recall or
// Train produced), or NaN.
func (c *Curve) AtEpoch(cfg Config, epoch int) float64 {
	for i, s := range c.Steps {
		if int(s) == epoch*cfg.StepsPerEpoch() {
			return c.Accuracy[i]
		}
	}
	return nan()
}
